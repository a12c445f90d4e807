#!/bin/sh
# What `make test` needs from the system, besides the Python packages it installs itself:
# Chromium for the browser tests (CHROMIUM_PATH, else /usr/bin/chromium), a Java runtime
# that runs for the Nu HTML Checker, and Node.js with npm for the validators' `npm ci`.
# Silent and exit 0 when everything is there; otherwise says what is missing and how to
# install it on this system (Debian, Ubuntu, macOS with Homebrew, other), and exits 1.
# It installs nothing: on Debian, `make deps-debian` does, when asked.
# Only shell built-ins and `uname` are used, so that a test can run it with a PATH of stubs.

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=""

if ! command -v "$chromium" >/dev/null 2>&1; then
    missing="$missing chromium"
    echo "missing: Chromium at '$chromium' (the browser tests drive it; CHROMIUM_PATH names another)"
fi
# macOS ships a /usr/bin/java that only says "Unable to locate a Java Runtime": run it.
if ! java -version >/dev/null 2>&1; then
    missing="$missing java"
    if command -v java >/dev/null 2>&1; then
        echo "missing: a Java runtime: 'java -version' fails (the Nu HTML Checker runs on Java 11 or newer)"
    else
        echo "missing: a Java runtime: no 'java' on PATH (the Nu HTML Checker runs on Java 11 or newer)"
    fi
fi
for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        missing="$missing $tool"
        echo "missing: '$tool' on PATH (npm installs axe-core and the Nu HTML Checker from tests/standards)"
    fi
done

[ -z "$missing" ] && exit 0

system="other"
if [ "$(uname -s 2>/dev/null)" = "Darwin" ]; then
    system="macos"
elif [ -r "${OS_RELEASE:-/etc/os-release}" ]; then
    ids=""
    while IFS='=' read -r key value; do
        value="${value#\"}"
        case "$key" in ID | ID_LIKE) ids="$ids ${value%\"} " ;; esac
    done < "${OS_RELEASE:-/etc/os-release}"
    case "$ids" in
    *" ubuntu "*) system="ubuntu" ;;
    *" debian "*) system="debian" ;;
    esac
fi

echo
case "$system" in
debian)
    echo "On Debian, install them with (as root, or through sudo, which asks first):"
    echo "    make deps-debian    # apt-get install chromium default-jre-headless nodejs npm"
    ;;
ubuntu)
    echo "On Ubuntu, where Chromium comes as a snap:"
    case "$missing" in *chromium*)
        echo "    sudo snap install chromium && export CHROMIUM_PATH=/snap/bin/chromium" ;;
    esac
    echo "    sudo apt-get install default-jre-headless nodejs npm"
    ;;
macos)
    echo "On macOS, with Homebrew:"
    case "$missing" in *chromium*)
        echo "    brew install --cask chromium"
        echo "    export CHROMIUM_PATH=\"/Applications/Chromium.app/Contents/MacOS/Chromium\""
        echo "    (or Google Chrome: CHROMIUM_PATH=\"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\")"
        ;;
    esac
    case "$missing" in *java*)
        echo "    brew install openjdk && export PATH=\"\$(brew --prefix openjdk)/bin:\$PATH\""
        ;;
    esac
    case "$missing" in *node* | *npm*) echo "    brew install node" ;; esac
    ;;
*)
    echo "Install Chromium or Google Chrome (and point CHROMIUM_PATH at its executable), a Java"
    echo "runtime 11 or newer with 'java' on PATH, and Node.js with npm, from your system's packages."
    ;;
esac
echo "Then run 'make test' again."
exit 1
