#!/usr/bin/env bash
# Smoke test of the control plane and the invoke path through the real AWS CLI v2 (Debian package awscli, /usr/bin/aws):
# starts Flint on a free port with a temporary data directory, then create-function (fileb:// zip),
# waits, get-function (and downloads Code.Location), list-functions, update-function-configuration,
# invoke (Tail, Event), publish-version, create-alias, invoke by alias, reserved concurrency 0 -> 429,
# error answers, layers (publish, get, list, a function's Layers, delete), delete-function; SQS through the
# query protocol that CLI 2.9 speaks (create-queue, send-message, receive-message, delete-message, an error, delete-queue). Every step's JSON output is checked; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NODE="$ROOT/node_modules/.bin/node"
[ -x "$NODE" ] || NODE=node
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
[ -x "$AWS_BIN" ] || { echo "cli-smoke: $AWS_BIN not found (install the Debian package awscli)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flint-cli-smoke.XXXXXX")
FLINT_PID=""
cleanup() {
  if [ -n "$FLINT_PID" ] && kill -0 "$FLINT_PID" 2>/dev/null; then
    kill -TERM "$FLINT_PID" 2>/dev/null || true
    wait "$FLINT_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "cli-smoke: FAIL: $*" >&2
  echo "--- flint log (tail) ---" >&2
  tail -n 20 "$WORK/flint.err" >&2 || true
  exit 1
}
step() { echo "cli-smoke: $*"; }

# --- start Flint -------------------------------------------------------------------------------
"$NODE" bin/flint.mjs serve --port 0 --data-dir "$WORK/data" >"$WORK/flint.out" 2>"$WORK/flint.err" &
FLINT_PID=$!
ENDPOINT=""
for _ in $(seq 1 300); do
  ENDPOINT=$(grep -o 'listening on http://[^ ]*' "$WORK/flint.out" 2>/dev/null | head -n1 | sed 's/^listening on //') || true
  [ -n "$ENDPOINT" ] && break
  kill -0 "$FLINT_PID" 2>/dev/null || fail "flint exited before listening"
  sleep 0.1
done
[ -n "$ENDPOINT" ] || fail "flint did not print its endpoint within 30 s"
step "flint at $ENDPOINT"

export AWS_ACCESS_KEY_ID=smoke AWS_SECRET_ACCESS_KEY=smoke AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
aws() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --region us-east-1 --output json "$@"; }

# check FILE 'JS boolean expression over o' 'description': evaluates the expression on the parsed JSON.
check() {
  "$NODE" -e '
    const [file, expr, what] = process.argv.slice(1);
    const o = JSON.parse(require("fs").readFileSync(file, "utf8"));
    if (!new Function("o", `return (${expr});`)(o)) { console.error(`check failed: ${what}\n${JSON.stringify(o, null, 2)}`); process.exit(1); }
  ' "$1" "$2" "$3" || fail "$3"
}

# expect_error CODE command...: the CLI must fail and name the error code.
expect_error() {
  local code=$1; shift
  if "$@" >"$WORK/err.out" 2>"$WORK/err.txt"; then fail "expected $code from: $*"; fi
  grep -q "($code)" "$WORK/err.txt" || fail "expected $code, got: $(cat "$WORK/err.txt")"
}

# --- a deployment package ----------------------------------------------------------------------
"$NODE" --input-type=module -e '
  import yazl from "yazl";
  import { createWriteStream } from "node:fs";
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from("exports.handler = async () => ({ hello: \"cli\" });\n"), "index.js", { mtime: new Date(0) });
  zip.end();
  zip.outputStream.pipe(createWriteStream(process.argv[1]));
' "$WORK/function.zip"
SHA=$("$NODE" -e 'console.log(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$WORK/function.zip")
SIZE=$(stat -c %s "$WORK/function.zip")
NAME=cli-smoke-fn
ROLE=arn:aws:iam::000000000000:role/lambda-role

# --- create-function ---------------------------------------------------------------------------
step "create-function"
aws lambda create-function --function-name "$NAME" --runtime nodejs22.x --handler index.handler \
  --role "$ROLE" --zip-file "fileb://$WORK/function.zip" --timeout 5 >"$WORK/create.json" || fail "create-function"
check "$WORK/create.json" "o.FunctionName === '$NAME' && o.Runtime === 'nodejs22.x' && o.Handler === 'index.handler'" "create: name, runtime, handler"
check "$WORK/create.json" "o.CodeSha256 === '$SHA' && o.CodeSize === $SIZE && o.Version === '\$LATEST' && o.Timeout === 5" "create: code sha, size, version"
check "$WORK/create.json" "o.FunctionArn === 'arn:aws:lambda:us-east-1:000000000000:function:$NAME' && o.Role === '$ROLE'" "create: ARN and role"
check "$WORK/create.json" "o.State === 'Pending' && o.StateReasonCode === 'Creating'" "create: Pending while being created"
expect_error ResourceConflictException aws lambda create-function --function-name "$NAME" --runtime nodejs22.x \
  --handler index.handler --role "$ROLE" --zip-file "fileb://$WORK/function.zip"

step "wait function-active-v2"
aws lambda wait function-active-v2 --function-name "$NAME" || fail "wait function-active-v2"

# --- get-function ------------------------------------------------------------------------------
step "get-function"
aws lambda get-function --function-name "$NAME" >"$WORK/get.json" || fail "get-function"
check "$WORK/get.json" "o.Configuration.State === 'Active' && o.Configuration.LastUpdateStatus === 'Successful'" "get: Active / Successful"
check "$WORK/get.json" "o.Configuration.CodeSha256 === '$SHA' && o.Code.RepositoryType === 'S3' && o.Code.Location.startsWith('$ENDPOINT/')" "get: code and location"
LOCATION=$("$NODE" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Code.Location)' "$WORK/get.json")
curl -sSf -o "$WORK/downloaded.zip" "$LOCATION" || fail "download Code.Location"
cmp -s "$WORK/function.zip" "$WORK/downloaded.zip" || fail "Code.Location returned different bytes"
aws lambda get-function --function-name "arn:aws:lambda:us-east-1:000000000000:function:$NAME" >"$WORK/get-arn.json" || fail "get-function by ARN"
check "$WORK/get-arn.json" "o.Configuration.FunctionName === '$NAME'" "get by full ARN"

# --- list-functions ----------------------------------------------------------------------------
step "list-functions"
aws lambda list-functions >"$WORK/list.json" || fail "list-functions"
check "$WORK/list.json" "Array.isArray(o.Functions) && o.Functions.some((f) => f.FunctionName === '$NAME' && f.CodeSha256 === '$SHA')" "list: contains the function"

# --- update-function-configuration -------------------------------------------------------------
step "update-function-configuration"
aws lambda update-function-configuration --function-name "$NAME" --memory-size 256 --timeout 30 \
  --description "from the cli" --environment 'Variables={GREETING=hello,MODE=smoke}' >"$WORK/update.json" || fail "update-function-configuration"
check "$WORK/update.json" "o.MemorySize === 256 && o.Timeout === 30 && o.Description === 'from the cli'" "update: new settings"
check "$WORK/update.json" "o.Environment.Variables.GREETING === 'hello' && o.Environment.Variables.MODE === 'smoke'" "update: environment"
check "$WORK/update.json" "o.LastUpdateStatus === 'InProgress'" "update: InProgress"
aws lambda wait function-updated-v2 --function-name "$NAME" || fail "wait function-updated-v2"
aws lambda get-function-configuration --function-name "$NAME" >"$WORK/config.json" || fail "get-function-configuration"
check "$WORK/config.json" "o.LastUpdateStatus === 'Successful' && o.MemorySize === 256" "after update: Successful"
expect_error InvalidParameterValueException aws lambda update-function-configuration --function-name "$NAME" --runtime nodejs4.3
expect_error ValidationException aws lambda update-function-configuration --function-name "$NAME" --timeout 901

# --- invoke, versions, aliases, concurrency ----------------------------------------------------
step "invoke (RequestResponse with Tail, Event), publish-version, create-alias, invoke by alias"
aws lambda invoke --function-name "$NAME" --cli-binary-format raw-in-base64-out --payload '{"n":1}' --log-type Tail \
  "$WORK/out.json" >"$WORK/invoke.json" || fail "invoke"
check "$WORK/invoke.json" "o.StatusCode === 200 && o.ExecutedVersion === '\$LATEST' && o.FunctionError === undefined" "invoke: 200 on \$LATEST"
check "$WORK/out.json" "o.hello === 'cli'" "invoke: the handler's answer"
check "$WORK/invoke.json" "Buffer.from(o.LogResult, 'base64').toString().includes('REPORT RequestId: ')" "invoke: the Tail log"
aws lambda invoke --function-name "$NAME" --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' \
  "$WORK/event.out" >"$WORK/event.json" || fail "invoke Event"
check "$WORK/event.json" "o.StatusCode === 202" "invoke Event: 202"
aws lambda publish-version --function-name "$NAME" >"$WORK/publish.json" || fail "publish-version"
check "$WORK/publish.json" "o.Version === '1' && o.FunctionArn.endsWith(':$NAME:1')" "publish-version: version 1"
for _ in $(seq 1 100); do
  aws lambda get-function-configuration --function-name "$NAME" --qualifier 1 >"$WORK/v1.json" || fail "get-function-configuration of version 1"
  "$NODE" -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).State === "Active" ? 0 : 1)' "$WORK/v1.json" && break
  sleep 0.1
done
check "$WORK/v1.json" "o.State === 'Active'" "version 1: Active"
aws lambda create-alias --function-name "$NAME" --name live --function-version 1 >"$WORK/alias.json" || fail "create-alias"
check "$WORK/alias.json" "o.AliasArn.endsWith(':$NAME:live') && o.FunctionVersion === '1'" "create-alias"
aws lambda invoke --function-name "$NAME" --qualifier live "$WORK/out-live.json" >"$WORK/invoke-live.json" || fail "invoke by alias"
check "$WORK/invoke-live.json" "o.StatusCode === 200 && o.ExecutedVersion === '1'" "invoke by alias: version 1 ran"
aws lambda put-function-concurrency --function-name "$NAME" --reserved-concurrent-executions 0 >"$WORK/reserve.json" || fail "put-function-concurrency"
check "$WORK/reserve.json" "o.ReservedConcurrentExecutions === 0" "put-function-concurrency"
AWS_MAX_ATTEMPTS=1 expect_error TooManyRequestsException aws lambda invoke --function-name "$NAME" "$WORK/throttled.out"
aws lambda delete-function-concurrency --function-name "$NAME" || fail "delete-function-concurrency"

# --- layers ------------------------------------------------------------------------------------
step "publish-layer-version, get/list, update-function-configuration --layers, delete-layer-version"
"$NODE" --input-type=module -e '
  import yazl from "yazl";
  import { createWriteStream } from "node:fs";
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from("module.exports = \"from the layer\";\n"), "nodejs/node_modules/smoke-layer/index.js", { mtime: new Date(0) });
  zip.end();
  zip.outputStream.pipe(createWriteStream(process.argv[1]));
' "$WORK/layer.zip"
LAYER_SIZE=$(stat -c %s "$WORK/layer.zip")
LAYER_ARN=arn:aws:lambda:us-east-1:000000000000:layer:cli-smoke-layer
aws lambda publish-layer-version --layer-name cli-smoke-layer --zip-file "fileb://$WORK/layer.zip" \
  --compatible-runtimes nodejs22.x --description "smoke layer" --license-info MIT >"$WORK/layer.json" || fail "publish-layer-version"
check "$WORK/layer.json" "o.LayerVersionArn === '$LAYER_ARN:1' && o.Version === 1 && o.Content.CodeSize === $LAYER_SIZE && o.LicenseInfo === 'MIT'" "publish-layer-version"
aws lambda get-layer-version-by-arn --arn "$LAYER_ARN:1" >"$WORK/layer-get.json" || fail "get-layer-version-by-arn"
check "$WORK/layer-get.json" "o.Description === 'smoke layer'" "get-layer-version-by-arn"
aws lambda list-layers --compatible-runtime nodejs22.x >"$WORK/layers.json" || fail "list-layers"
check "$WORK/layers.json" "o.Layers.some((l) => l.LayerName === 'cli-smoke-layer' && l.LatestMatchingVersion.Version === 1)" "list-layers"
aws lambda update-function-configuration --function-name "$NAME" --layers "$LAYER_ARN:1" >"$WORK/with-layer.json" || fail "update-function-configuration --layers"
check "$WORK/with-layer.json" "o.Layers[0].Arn === '$LAYER_ARN:1' && o.Layers[0].CodeSize === $LAYER_SIZE" "function Layers"
aws lambda wait function-updated-v2 --function-name "$NAME" || fail "wait after --layers"
expect_error InvalidParameterValueException aws lambda update-function-configuration --function-name "$NAME" --layers "$LAYER_ARN:9"
grep -q "Layer version $LAYER_ARN:9 does not exist." "$WORK/err.txt" || fail "missing layer text: $(cat "$WORK/err.txt")"
aws lambda delete-layer-version --layer-name cli-smoke-layer --version-number 1 || fail "delete-layer-version"
aws lambda list-layer-versions --layer-name cli-smoke-layer >"$WORK/layer-versions.json" || fail "list-layer-versions"
check "$WORK/layer-versions.json" "o.LayerVersions.length === 0" "list-layer-versions after delete"

# --- delete-function ---------------------------------------------------------------------------
step "delete-function"
aws lambda delete-function --function-name "$NAME" >"$WORK/delete.json" || fail "delete-function"
expect_error ResourceNotFoundException aws lambda get-function --function-name "$NAME"
grep -q "Function not found: arn:aws:lambda:us-east-1:000000000000:function:$NAME" "$WORK/err.txt" || fail "404 text: $(cat "$WORK/err.txt")"
aws lambda list-functions >"$WORK/list-after.json" || fail "list-functions after delete"
check "$WORK/list-after.json" "!o.Functions.some((f) => f.FunctionName === '$NAME')" "list: function gone"

# --- SQS (the CLI 2.9 speaks the query protocol) ---------------------------------------------------
step "sqs"
aws sqs create-queue --queue-name cli-smoke-queue --attributes VisibilityTimeout=40 >"$WORK/queue.json" || fail "create-queue"
check "$WORK/queue.json" "o.QueueUrl.endsWith('/000000000000/cli-smoke-queue')" "create-queue"
QUEUE_URL=$("$NODE" -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).QueueUrl' "$WORK/queue.json")
aws sqs send-message --queue-url "$QUEUE_URL" --message-body "from the cli" --message-attributes 'k={DataType=String,StringValue=v}' >"$WORK/sent.json" || fail "send-message"
check "$WORK/sent.json" "/^[0-9a-f-]{36}$/.test(o.MessageId) && o.MD5OfMessageBody === require('crypto').createHash('md5').update('from the cli').digest('hex')" "send-message"
SENT_ID=$("$NODE" -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).MessageId' "$WORK/sent.json")
aws sqs receive-message --queue-url "$QUEUE_URL" --message-attribute-names All --attribute-names All --wait-time-seconds 5 >"$WORK/received.json" || fail "receive-message"
check "$WORK/received.json" "o.Messages.length === 1 && o.Messages[0].MessageId === '$SENT_ID' && o.Messages[0].Body === 'from the cli' && o.Messages[0].MessageAttributes.k.StringValue === 'v' && o.Messages[0].Attributes.ApproximateReceiveCount === '1'" "receive-message"
RECEIPT=$("$NODE" -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Messages[0].ReceiptHandle' "$WORK/received.json")
aws sqs delete-message --queue-url "$QUEUE_URL" --receipt-handle "$RECEIPT" || fail "delete-message"
aws sqs get-queue-attributes --queue-url "$QUEUE_URL" --attribute-names All >"$WORK/queue-attrs.json" || fail "get-queue-attributes"
check "$WORK/queue-attrs.json" "o.Attributes.ApproximateNumberOfMessages === '0' && o.Attributes.ApproximateNumberOfMessagesNotVisible === '0' && o.Attributes.VisibilityTimeout === '40'" "queue empty after delete-message"
aws sqs delete-queue --queue-url "$QUEUE_URL" || fail "delete-queue"
expect_error AWS.SimpleQueueService.NonExistentQueue aws sqs get-queue-url --queue-name cli-smoke-queue
grep -q "The specified queue does not exist." "$WORK/err.txt" || fail "missing queue text: $(cat "$WORK/err.txt")"

step "OK"
