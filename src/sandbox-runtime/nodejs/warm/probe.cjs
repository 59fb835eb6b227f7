// Loaded once by a pre-started cell before it waits for specialization, so that the CommonJS
// loader and the handler lookup have run once before the function's own code is loaded.
exports.handler = async () => null;
