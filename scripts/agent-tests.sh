#!/usr/bin/env bash
# The agent's tests with every end-to-end scenario required: installs Debian's logrotate if
# missing, builds the real yapdns-server beside the agent, then runs the agent's unit tests and
# its end-to-end tests (real agent and server processes, real files, SIGKILL, logrotate).
#
#   scripts/agent-tests.sh            # everything
#   scripts/agent-tests.sh store_e2e  # extra arguments go to `cargo test -p yapdns-agent`
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v logrotate >/dev/null 2>&1 && [ ! -x /usr/sbin/logrotate ]; then
    echo "==> installing logrotate"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq logrotate
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq logrotate
    fi
fi

echo "==> building yapdns-server (the e2e tests start it)"
cargo build -p yapdns-server --bin yapdns-server

# The tests find the server beside the agent binary, in the same target directory.
export YAPDNS_REQUIRE_E2E=1
echo "==> cargo test -p yapdns-agent"
cargo test -p yapdns-agent "$@"
