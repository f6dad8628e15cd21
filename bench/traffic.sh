#!/usr/bin/env bash
# Traffic generator benchmark: traffic() against wrk (Debian) on the same local nginx, in one run:
# wrk's maximum rate, the highest rate at which traffic() keeps its schedule (send-time error
# p99 <= 1 ms, at most 1% late sends, no errors), and latency percentiles of both at a rate both
# sustain. Appends a block to bench/results/traffic.md with the goals and verdicts.
#
# The source is bench/src/main/java/dev/faultline/bench/TrafficBench.java, compiled here with javac
# against the module jars (mvn package, never install). Takes about two minutes. Run as root to
# install wrk and nginx-light when they are missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for c in wrk:wrk nginx:nginx-light; do
  if ! command -v "${c%%:*}" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
    break
  fi
done

build() { mvn -B -q "$@" -pl grammar,interpreter,stdlib/core -DskipTests package; }
build -o >/dev/null 2>&1 || build

# jar_of DIR [NAME]: the module's jar, target/faultline-NAME-*.jar (NAME defaults to DIR).
jar_of() {
  local jar name=${2:-$1}
  for jar in "$1"/target/faultline-"$name"-*.jar; do
    [[ -f $jar && $jar != *-sources.jar && $jar != *-tests.jar ]] && { printf '%s' "$jar"; return 0; }
  done
  echo "no jar in $1/target" >&2
  return 1
}

work=bench/target/traffic
rm -rf "$work" && mkdir -p "$work/classes" "$work/www" "$work/nginx-tmp"
mvn -B -q -o -pl stdlib/core dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$root/$work/deps.cp" >/dev/null
deps=$(tr ':' '\n' <"$work/deps.cp" | grep -v '/dev/faultline/' | paste -sd: -)
cp="$(jar_of grammar):$(jar_of interpreter):$(jar_of stdlib/core stdlib):$deps"
javac --release 17 -d "$work/classes" -cp "$cp" bench/src/main/java/dev/faultline/bench/TrafficBench.java

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
head -c 612 /dev/zero | tr '\0' 'x' > "$work/www/index.html"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 65536;
pid $root/$work/nginx.pid;
error_log $root/$work/nginx-error.log;
daemon on;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $root/$work/nginx-tmp;
  proxy_temp_path $root/$work/nginx-tmp;
  fastcgi_temp_path $root/$work/nginx-tmp;
  uwsgi_temp_path $root/$work/nginx-tmp;
  scgi_temp_path $root/$work/nginx-tmp;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port backlog=1024; root $root/$work/www; tcp_nodelay on; }
}
NGINX
nginx -c "$root/$work/nginx.conf"
trap '[[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true' EXIT
sleep 0.5

[[ -f bench/results/traffic.md ]] || printf '# Traffic generator benchmark\n\nWritten by `bench/traffic.sh`; each run appends a block.\n' > bench/results/traffic.md
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")
java ${BENCH_JAVA_OPTS:-} -Dbench.commit="$commit" -cp "$work/classes:$cp" dev.faultline.bench.TrafficBench bench/results/traffic.md \
  "http://127.0.0.1:$port/index.html" "$work"
