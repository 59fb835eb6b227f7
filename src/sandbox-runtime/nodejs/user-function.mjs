// @ts-check
/**
 * Loads the user's handler from a Lambda handler string (`dir/sub/file.export.nested`), trying
 * CommonJS and ES module files in Lambda's order, and maps failures to Lambda's error types:
 * Runtime.MalformedHandlerName, Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
 * Runtime.HandlerNotFound.
 */
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './errors.mjs';
const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const path = process.getBuiltinModule('node:path');
const { pathToFileURL } = process.getBuiltinModule('node:url');

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

/**
 * @param {string} appRoot directory of the function code (/var/task)
 * @param {string} fullHandler the function's Handler setting
 * @returns {Promise<Function>}
 */
export async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(`'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerName = path.basename(fullHandler);
  const moduleRoot = fullHandler.slice(0, fullHandler.indexOf(handlerName));
  const match = handlerName.match(FUNCTION_EXPR);
  if (!match || match.length !== 3) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = /** @type {[string, string, string]} */ (/** @type {unknown} */ (match));

  const userModule = await loadModule(appRoot, moduleRoot, moduleName);
  /** @type {any} */
  let handler = userModule;
  for (const key of handlerPath.split('.')) handler = handler && handler[key];
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler;
}

/**
 * @param {string} appRoot
 * @param {string} moduleRoot
 * @param {string} moduleName
 * @returns {Promise<any>}
 */
async function loadModule(appRoot, moduleRoot, moduleName) {
  const require = createRequire(path.join(appRoot, 'noop.js'));
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  /** @param {string} file */
  const tryRequire = (file) => (existsSync(file) ? require(file) : undefined);
  /** @param {string} file */
  const tryImport = async (file) => (existsSync(file) ? import(pathToFileURL(file).href) : undefined);
  try {
    const extensionless = tryRequire(base);
    if (extensionless) return extensionless;
    const typeModule = hasTypeModule(path.dirname(base));
    if (!typeModule) {
      const cjs = tryRequire(`${base}.js`);
      if (cjs) return cjs;
    }
    const loaded = (typeModule && (await tryImport(`${base}.js`)))
      || (await tryImport(`${base}.mjs`))
      || tryRequire(`${base}.cjs`);
    if (loaded) return loaded;
    return require(require.resolve(moduleName, { paths: [appRoot, path.resolve(appRoot, moduleRoot)] }));
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(String(e));
    const code = /** @type {any} */ (e)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new ImportModuleError(String(e));
    throw e;
  }
}

/**
 * True when the nearest package.json above `folder` says `"type": "module"`; a node_modules
 * folder or the root ends the search.
 * @param {string} folder
 * @returns {boolean}
 */
function hasTypeModule(folder) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8'))?.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (dir === '/' || dir === path.dirname(dir)) return false;
  }
}
