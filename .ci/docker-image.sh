#!/usr/bin/env bash
# docker-image.sh — builds the image the Docker tests and the docs' examples run: busybox and its
# applet links, imported with `docker import` (no registry is needed or reached).
#
#   .ci/docker-image.sh          builds faultline/busybox:test unless the engine already has it
#   .ci/docker-image.sh --force  builds it again
#
# Needs a running Docker engine and /bin/busybox (Debian's busybox-static). The image has no
# entrypoint: containers name their command (`docker run faultline/busybox:test sleep 60`).
set -euo pipefail
IMAGE=${FAULTLINE_TEST_IMAGE:-faultline/busybox:test}

if [[ ${1:-} != --force ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi

busybox=$(command -v busybox || true)
[[ -n $busybox ]] || { echo "docker-image.sh: no busybox binary (apt-get install busybox-static)" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
  echo "docker-image.sh: $busybox is dynamically linked; the image needs busybox-static" >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/www" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
echo 'ok' >"$root/www/health"
tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' - "$IMAGE" >/dev/null
echo "docker-image.sh: built $IMAGE"
