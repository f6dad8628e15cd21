#!/usr/bin/env bash
# TCP fault proxy benchmark: our Netty proxy against direct loopback, socat and HAProxy, side by
# side in one run, every figure the median of three runs, written to bench/results/proxy.md.
#
# Run as root (it installs iperf3, socat, haproxy, wrk and nginx-light from Debian's packages when
# one is missing). It starts the references on loopback ports with configs of its own (in
# bench/target/proxy-bench/), compiles bench/src/main/java/dev/faultline/bench/ProxyBench.java
# against the module jars (build them first: mvn -q -o package -DskipTests) and runs it; the runner
# starts our proxies through the stdlib's classes and measures. Everything is stopped on exit.
# Takes about 8 minutes (12 with Toxiproxy). Optional argument: the goals to run, e.g. "135" (default all).
#
# Toxiproxy side by side: set TOXIPROXY_SERVER to a toxiproxy-server binary (Toxiproxy is not a
# Debian package; build it from its own sources). It is started on 127.0.0.1:8474 for the run and
# gets a column in every table.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
only="${1:-}"

need=()
for c in iperf3:iperf3 socat:socat haproxy:haproxy wrk:wrk nginx:nginx-light; do
  command -v "${c%%:*}" >/dev/null 2>&1 || need+=("${c#*:}")
done
if ((${#need[@]})); then
  [[ $(id -u) == 0 ]] || { echo "missing ${need[*]}; run as root to install them" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 socat haproxy wrk nginx-light >/dev/null
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

for j in stdlib/core:stdlib interpreter:interpreter grammar:grammar; do
  ls "${j%%:*}"/target/faultline-"${j#*:}"-*.jar >/dev/null 2>&1 || { echo "no ${j%%:*} jar: run mvn -q -o package -DskipTests" >&2; exit 1; }
done
work="bench/target/proxy-bench"
rm -rf "$work" && mkdir -p "$work/classes"
mvn -B -q -o -pl stdlib/core dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$root/$work/deps.cp" >/dev/null
deps=$(tr ':' '\n' < "$work/deps.cp" | grep -v '/dev/faultline/' | paste -sd: -)
mods=$(ls stdlib/core/target/faultline-stdlib-*.jar interpreter/target/faultline-interpreter-*.jar grammar/target/faultline-grammar-*.jar | grep -v -e sources -e tests | paste -sd: -)
javac --release 17 -d "$work/classes" -cp "$mods:$deps" \
  bench/src/main/java/dev/faultline/stdlib/net/BenchProxies.java bench/src/main/java/dev/faultline/bench/ProxyBench.java \
  bench/src/main/java/dev/faultline/bench/Toxiproxy.java

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [[ -f "$work/haproxy.pid" ]] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# Targets: iperf3 server, an echo server, nginx with a small file.
iperf3 -s -p 5201 -B 127.0.0.1 >/dev/null 2>&1 & pids+=($!)
socat TCP-LISTEN:7000,bind=127.0.0.1,fork,reuseaddr,backlog=1024,nodelay PIPE & pids+=($!)
mkdir -p "$work/www" "$work/nginx-tmp"
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
  server { listen 127.0.0.1:8080 backlog=1024; root $root/$work/www; tcp_nodelay on; }
}
NGINX
nginx -c "$root/$work/nginx.conf"

# References: socat (backlog 1024; its default of 5 overflows under 50 connections) and HAProxy in tcp mode.
socat TCP-LISTEN:15201,bind=127.0.0.1,fork,reuseaddr,backlog=1024 TCP:127.0.0.1:5201 & pids+=($!)
socat TCP-LISTEN:17000,bind=127.0.0.1,fork,reuseaddr,backlog=1024,nodelay TCP:127.0.0.1:7000,nodelay & pids+=($!)
cat > "$work/haproxy.cfg" <<HAP
global
  maxconn 4000
  pidfile $root/$work/haproxy.pid
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  maxconn 4000
listen iperf
  bind 127.0.0.1:25201
  server s 127.0.0.1:5201
listen echo
  bind 127.0.0.1:27000
  server s 127.0.0.1:7000
listen http
  bind 127.0.0.1:28080
  server s 127.0.0.1:8080
HAP
haproxy -D -f "$work/haproxy.cfg"
toxi_args=()
if [[ -n ${TOXIPROXY_SERVER:-} ]]; then
  "$TOXIPROXY_SERVER" -host 127.0.0.1 -port 8474 >"$work/toxiproxy.log" 2>&1 & pids+=($!)
  toxi_args=(-Dbench.toxiproxy=127.0.0.1:8474 -Dbench.toxiproxy.pid=$!)
fi
sleep 1

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")
mkdir -p bench/results
java -Dbench.commit="$commit" "${toxi_args[@]}" -cp "$work/classes:$mods:$deps" dev.faultline.bench.ProxyBench bench/results/proxy.md "$only"
