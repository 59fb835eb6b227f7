// Loaded once by a pre-started cell before it waits for specialization (ES module loader warm-up).
export const handler = async () => null;
