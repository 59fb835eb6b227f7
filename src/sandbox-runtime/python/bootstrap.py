"""Flint's Python runtime client, the main process of a python3.* sandbox (standard library only).

A cell starts function-agnostic: it imports what it needs, warms the HTTP path, then long-polls
Flint's GET /2018-06-01/flint/specialize for the function's environment and handler. It applies
that environment (restarting the interpreter with it first when it sets PYTHON* variables, the
locale or a wrapper script, which take effect only as a process starts: start_variables_changed;
a new TZ is applied with time.tzset()), changes to
LAMBDA_TASK_ROOT (/var/task), imports the handler (the init phase)
and enters the standard Runtime API loop. Texts and payloads follow AWS's Python runtime:
`{"errorMessage", "errorType", "requestId", "stackTrace"}`, Runtime.ImportModuleError,
Runtime.HandlerNotFound, Runtime.UserCodeSyntaxError, and logging-module lines formatted
`[LEVEL]\\tTIME\\tREQUEST_ID\\tmessage`.

Test note: LAMBDA_TASK_ROOT comes from the specialization, so tests running the client as a plain
child process point it at a temporary directory instead of /var/task.
"""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"
_request_id = None


class FaultException(Exception):
    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


class RuntimeClient:
    """Runtime API client over one keep-alive connection."""

    def __init__(self, host_port):
        host, _, port = host_port.rpartition(":")
        self.host = host.strip("[]")
        self.port = int(port)
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise

    def ping(self):
        self.request("GET", "/2018-06-01/ping")

    def specialization(self):
        status, _, body = self.request("GET", "/2018-06-01/flint/specialize")
        if status != 200:
            raise RuntimeError("specialization refused: %d %s" % (status, body))
        return json.loads(body)

    def next_invocation(self):
        status, headers, body = self.request("GET", "/2018-06-01/runtime/invocation/next")
        if status != 200:
            raise RuntimeError("/next failed: %d %s" % (status, body))
        return headers, body

    def post_response(self, request_id, body):
        flush_stdio()
        self.request("POST", "/2018-06-01/runtime/invocation/%s/response" % request_id, body,
                     {"Content-Type": "application/json"})

    def post_error(self, request_id, error_result):
        flush_stdio()
        self.request("POST", "/2018-06-01/runtime/invocation/%s/error" % request_id,
                     to_json(error_result).encode("utf-8"), error_headers(error_result))

    def post_init_error(self, error_result):
        flush_stdio()
        self.request("POST", "/2018-06-01/runtime/init/error",
                     to_json(error_result).encode("utf-8"), error_headers(error_result))


def error_headers(error_result):
    return {"Content-Type": "application/json",
            "Lambda-Runtime-Function-Error-Type": str(error_result.get("errorType") or "Unhandled")}


def flush_stdio():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _decimal_serializer(o):
    if isinstance(o, decimal.Decimal):
        return float(o) if o % 1 else int(o)
    raise TypeError("Object of type %s is not JSON serializable" % type(o).__name__)


def to_json(obj):
    return json.dumps(obj, default=_decimal_serializer)


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    def __init__(self, data):
        client = data.get("client")
        self.client = Client(client) if client else None
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    def __init__(self, request_id, client_context, identity, deadline_ms, invoked_function_arn, tenant_id):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = ClientContext(client_context) if client_context else None
        self.identity = CognitoIdentity(identity or {})
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s,function_version=%s])" % (
            self.aws_request_id, self.function_name, self.function_version)


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def user_traceback(tb):
    """Traceback entries from the first frame outside this file (the user's code)."""
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if not frame.filename.endswith("/bootstrap.py"):
            return traceback.format_list(frames[i:])
    return []


def log_error(error_result):
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
        record = {"timestamp": time.strftime(JSON_DATETIME_FORMAT, time.gmtime()), "log_level": "ERROR", **error_result}
        sys.stdout.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        return
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    if error_result.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error_result["stackTrace"]:
            for line in element.splitlines() or [""]:
                stripped = line.lstrip(" ")
                lines.append(ERROR_LOG_IDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


class Unbuffered:
    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


JSON_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
LOG_RECORD_ATTRIBUTES = frozenset((
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "taskName", "message", "asctime", "aws_request_id",
))


class JsonFormatter(logging.Formatter):
    """AWS's JSON log record (LoggingConfig LogFormat JSON), as awslambdaric writes it: timestamp, level,
    message, logger, requestId, the exception when there is one, and any extra attributes."""

    def __init__(self):
        super().__init__(datefmt=JSON_DATETIME_FORMAT)

    def format(self, record):
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        exc = record.exc_info
        location = None
        if exc:
            tb = traceback.extract_tb(exc[2])
            location = "{}:{}:{}".format(tb[-1][0] if tb else record.filename, record.funcName, tb[-1][1] if tb else record.lineno)
        result = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None) or None,
            "location": location,
        }
        result.update((k, v) for k, v in record.__dict__.items() if k not in LOG_RECORD_ATTRIBUTES and k not in result)
        return json.dumps({k: v for k, v in result.items() if v is not None}, default=str, ensure_ascii=False) + "\n"


class StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = StdoutHandler()
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    level = {"TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "CRITICAL"}.get(level, level)
    if level in logging._nameToLevel:
        root.setLevel(level)


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException("Runtime.BuiltInModuleConflict",
                                 "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))


def handle_invocation(client, request_handler, headers, body):
    global _request_id
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
    _request_id = request_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id is None:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    else:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    error_result = None
    try:
        client_context = headers.get("Lambda-Runtime-Client-Context")
        identity = headers.get("Lambda-Runtime-Cognito-Identity")
        context = LambdaContext(
            request_id,
            json.loads(client_context) if client_context else None,
            json.loads(identity) if identity else None,
            int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
            headers.get("Lambda-Runtime-Aws-Tenant-Id"),
        )
        event = json.loads(body) if body else None
        response = request_handler(event, context)
        try:
            result = to_json(response).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise FaultException("Runtime.MarshalError", "Unable to marshal response: {}".format(str(e)))
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, request_id)
    except Exception:
        etype, value, tb = sys.exc_info()
        error_result = make_error(str(value), etype.__name__, user_traceback(tb), request_id)
    if error_result is not None:
        log_error(error_result)
        client.post_error(request_id, error_result)
    else:
        client.post_response(request_id, result)


START_VARIABLES = ("AWS_LAMBDA_EXEC_WRAPPER", "LANG", "LC_ALL", "LC_CTYPE")


def start_variables_changed(env, own):
    """The variables of the function's environment that the interpreter reads only as it starts
    (every PYTHON* one, the locale) or that change how it starts (AWS_LAMBDA_EXEC_WRAPPER), where
    they differ from this process's own. Lambda starts its runtime with the function's environment;
    a cell started before it knew its function starts the runtime again for them (restart_runtime)."""
    return [k for k, v in env.items() if (k.startswith("PYTHON") or k in START_VARIABLES) and own.get(k) != v]


def wrapper_problem(wrapper):
    """Why the wrapper script cannot be run, as Lambda words a failed exec; None when it can."""
    if not os.path.isabs(wrapper) or not os.path.exists(wrapper):
        return "fork/exec %s: no such file or directory" % wrapper
    if not os.access(wrapper, os.X_OK):
        return "fork/exec %s: permission denied" % wrapper
    return None


def restart_runtime(wrapper):
    """Starts the runtime again in this process (execve: same pid, same stdio) with the current
    environment, behind the wrapper if there is one; the new runtime finds _HANDLER set."""
    flush_stdio()
    command = [sys.executable] + (sys.orig_argv[1:] if hasattr(sys, "orig_argv") else [os.path.abspath(sys.argv[0])])
    if wrapper:
        command = [wrapper] + command
    os.execve(command[0], command, dict(os.environ))


def main():
    client = RuntimeClient(os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    try:
        client.ping()
    except Exception:
        pass
    # a runtime restarted with its function's environment (restart_runtime) has it already
    init = {"env": {}, "handler": os.environ["_HANDLER"]} if "_HANDLER" in os.environ else client.specialization()
    restart = start_variables_changed(init["env"], os.environ)
    zone_changed = init["env"].get("TZ", os.environ.get("TZ")) != os.environ.get("TZ")
    os.environ.update(init["env"])
    if zone_changed:
        time.tzset()  # the C library read TZ when the process started
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    os.chdir(task_root)
    if restart:
        wrapper = os.environ.get("AWS_LAMBDA_EXEC_WRAPPER")
        problem = wrapper_problem(wrapper) if wrapper is not None else None
        if problem is not None:
            error_result = make_error(problem, "Runtime.InvalidEntrypoint", [])
            log_error(error_result)
            client.post_init_error(error_result)
            sys.exit(1)
        restart_runtime(wrapper)
    sys.path[:0] = [task_root, "/opt/python/lib/python%d.%d/site-packages" % sys.version_info[:2], "/opt/python"]
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    setup_logging()
    try:
        request_handler = get_handler(init["handler"])
    except Exception as e:
        if isinstance(e, FaultException):
            error_result = make_error(e.msg, e.exception_type, e.trace)
        else:
            etype, value, tb = sys.exc_info()
            error_result = make_error(str(value), etype.__name__, user_traceback(tb))
        log_error(error_result)
        client.post_init_error(error_result)
        sys.exit(1)
    while True:
        headers, body = client.next_invocation()
        handle_invocation(client, request_handler, headers, body)


if __name__ == "__main__":
    main()
