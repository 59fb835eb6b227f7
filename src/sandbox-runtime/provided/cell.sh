#!/bin/bash
# Flint's pre-started cell for provided.al2 / provided.al2023: a tiny waiter. It long-polls Flint's
# GET /2018-06-01/flint/specialize (environment as KEY=VALUE\0 records), then replaces itself with
# the function's own bootstrap (exec: same process, no waiter left), which then talks to the
# Runtime API unchanged. The bootstrap is looked up where Lambda looks: $LAMBDA_TASK_ROOT/bootstrap,
# then /opt/bootstrap.
#
# Amazon Linux's /bin/sh is bash, and AWS's published bash+curl runtime (`#!/bin/sh` with
# `set -o pipefail`, `source`, `function`) depends on it; where /bin/sh is another shell (Debian's
# dash), a `#!/bin/sh` bootstrap is run by bash so that it behaves as on Lambda.
set -u
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01"

env_args=()
while IFS= read -r -d '' record; do
  env_args+=("$record")
done < <(curl -sS --fail "$api/flint/specialize?format=env0")
if [ "${#env_args[@]}" -eq 0 ]; then
  echo "flint provided cell: specialization failed" >&2
  exit 1
fi

task_root=/var/task
for record in "${env_args[@]}"; do
  case "$record" in LAMBDA_TASK_ROOT=*) task_root="${record#LAMBDA_TASK_ROOT=}" ;; esac
done

bootstrap=""
for candidate in "$task_root/bootstrap" /opt/bootstrap; do
  if [ -f "$candidate" ] && [ -x "$candidate" ]; then bootstrap="$candidate"; break; fi
done
if [ -z "$bootstrap" ]; then
  message="Couldn't find valid bootstrap(s): [$task_root/bootstrap /opt/bootstrap]"
  curl -sS -o /dev/null -X POST "$api/runtime/init/error" \
    -H 'Lambda-Runtime-Function-Error-Type: Runtime.InvalidEntrypoint' -H 'Content-Type: application/json' \
    --data-binary "{\"errorType\":\"Runtime.InvalidEntrypoint\",\"errorMessage\":\"$message\"}"
  exit 1
fi

cd "$task_root" || exit 1
interpreter=()
IFS= read -r first_line < "$bootstrap" || true
case "$first_line" in
  '#!/bin/sh'|'#!/bin/sh '*) [ "$(readlink -f /bin/sh)" = "$(readlink -f /bin/bash)" ] || interpreter=(/bin/bash) ;;
esac
exec /usr/bin/env -i "${env_args[@]}" "AWS_LAMBDA_RUNTIME_API=${AWS_LAMBDA_RUNTIME_API}" "PWD=$task_root" \
  "${interpreter[@]}" "$bootstrap"
