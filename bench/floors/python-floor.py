"""Python floor: the same loop as the Node floor in CPython: json.loads each line, json.dumps a
RECORD envelope to /dev/null. `python3 python-floor.py FILE [STREAM]`; prints {"lines": N} to stderr."""
import json
import sys
import time


def main() -> None:
    path = sys.argv[1]
    stream = sys.argv[2] if len(sys.argv) > 2 else "orders"
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    lines = 0
    with open(path, "rb", buffering=1 << 20) as src, open("/dev/null", "w", buffering=1 << 20) as out:
        for line in src:
            if line == b"\n":
                continue
            data = json.loads(line)
            out.write(dumps({"type": "RECORD", "record": {"stream": stream, "data": data, "emitted_at": int(time.time() * 1000)}}))
            out.write("\n")
            lines += 1
    sys.stderr.write(json.dumps({"lines": lines}) + "\n")


if __name__ == "__main__":
    main()
