// Loaded once by a pre-started cell before it waits for specialization (ES module loader warm-up),
// then the handler of its rehearsed invocations (rehearsal.mjs), which it counts.
export let rehearsals = 0;
/** @param {{rehearsal?: boolean}} event @param {{awsRequestId: string}} context */
export const handler = async (event, context) => {
  rehearsals++;
  return { statusCode: 200, body: context.awsRequestId, rehearsal: event.rehearsal };
};
