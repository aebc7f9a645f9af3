#!/usr/bin/env bash
# Assembles what a registry base image would give Callbridge's image, without a registry: a Java 17 runtime
# made by jlink from the building JDK and the shared libraries it loads. Run by `mvn package` before Jib; its
# folders become layers of target/callbridge-image.tar (pom.xml, jib-maven-plugin).
#   assemble-runtime.sh <out> <base image> <jdk home> <modules> <libs root>
# <base image> other than "scratch" (-Djib.from.image=eclipse-temurin:17-jre) brings its own Java and libc:
# then only the app's writable data folder is made.
set -euo pipefail
out=$1 base=$2 jdk=$3 modules=$4 libs_root=$5

rm -rf "$out"
mkdir -p "$out/app/opt/callbridge/data"
root=$out/runtime
# Jib refuses a layer folder that does not exist, even an empty one's
mkdir -p "$root"
if [ "$base" != "scratch" ]; then
  echo "base image $base: no runtime assembled"
  exit 0
fi

mkdir -p "$root/tmp" "$root/proc" "$root/dev" "$root/sys"
# headless, no debug symbols: the image has no use for them; layer compression does the rest
"$jdk/bin/jlink" --add-modules "$modules" --include-locales=en,fr,de --strip-debug --no-header-files \
  --no-man-pages --output "$root/opt/java"
# jlink links each module's legal notices; a layer holds files, so the links become copies
find "$root/opt/java/legal" -type l -exec sh -c 'cp --remove-destination "$(readlink -f "$1")" "$1"' _ {} \;

# What the runtime's programs and libraries load, but for AWT's (headless: never loaded), found with ldd on the
# building machine: glibc with its loader, libstdc++, libgcc_s, zlib. They are copied from <libs root>: "/" is
# the building machine (Debian bookworm here: its versions are listed in the layer); a folder where Debian's
# packages were unpacked (dpkg-deb -x libc6_*.deb ...) gives the image those instead.
mapfile -t needed < <(find "$root/opt/java" \( -name '*.so' -o -path '*/bin/*' \) -type f \
  | grep -vE '/lib(awt|awt_xawt|fontmanager|jawt|jsound|mlib_image|splashscreen|lcms|javajpeg)\.so$' \
  | LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server" xargs ldd \
  | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /\/opt\/java\// {print $3} $1 ~ /^\/lib.*ld-linux/ {print $1}' | sort -u)
for lib in "${needed[@]}"; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$libs_root$lib" "$root$lib"
  if [ "$libs_root" = "/" ] && command -v dpkg >/dev/null; then
    # merged /usr: dpkg knows some libraries by their /usr path only
    pkg=$( (dpkg -S "$lib" || dpkg -S "$(readlink -f "$lib")" || dpkg -S "/usr$lib") 2>/dev/null | head -1 | sed 's/: .*//') || true
    echo "$lib ${pkg:-(package unknown)} $( [ -n "$pkg" ] && dpkg-query -W -f='${Version}' "$pkg")"
  else
    echo "$lib (from $libs_root)"
  fi
done > "$root/opt/java/NATIVE-LIBRARIES"
# the x86_64 loader's path is /lib64/ld-linux-x86-64.so.2 in every binary; on Debian it links into /lib
chmod 755 "$root"/lib*/ld-linux* "$root"/lib/*/ld-linux* 2>/dev/null || true

# the user the image runs as, localhost, and the name lookup order: what a distribution's base image has
mkdir -p "$root/etc"
cp "$(dirname "$0")"/etc/* "$root/etc/"
echo "runtime assembled in $root: $(du -sh "$root" | cut -f1)"
