/** AWS's custom-runtime tutorial (bash + curl), as published: shared by the runtime and end-to-end tests. */

/** The bootstrap of AWS's "Tutorial: Building a custom runtime", as published (a `#!/bin/sh` script that needs bash). */
export const TUTORIAL_BOOTSTRAP = `#!/bin/sh
set -euo pipefail

# Initialization - load function handler
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

# Processing
while true
do
  HEADERS="$(mktemp)"
  # Get an event. The HTTP request will block until one is received
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

  # Extract request ID by scraping response headers received above
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

  # Run the handler function from the script
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

  # Send the response
  curl "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"  -d "$RESPONSE"
done
`;

/** The tutorial's function.sh (current text). */
export const TUTORIAL_FUNCTION = `function handler () {
  EVENT_DATA=$1

  RESPONSE="{\\"statusCode\\": 200, \\"body\\": \\"Hello from Lambda!\\"}"
  echo $RESPONSE
}
`;

/** The earlier version of the tutorial's function.sh, which echoes the event. */
export const ECHO_FUNCTION = `function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="Echoing request: '$EVENT_DATA'"

  echo $RESPONSE
}
`;
