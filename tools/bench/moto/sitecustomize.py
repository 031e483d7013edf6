# Loaded at start by the Python of the bench's moto process only: site.py imports `sitecustomize` from
# sys.path (https://docs.python.org/3/library/site.html), and tools/bench/ingest.ts puts this folder on
# that process's PYTHONPATH (BENCH_MOTO_ENV). The tests' moto never sees it.
#
# Why: moto answers every GET, ranged or not, from `FakeKey.value`, a property that reads the whole
# version out of its spooled file into a fresh bytes object under the key's lock (moto/s3/models.py),
# then slices the range out of it (responses.py `_handle_range_header`). A 16 MiB part of a 256 MiB
# document costs moto a 256 MiB copy; on a 2-vCPU machine, sixteen of them per ingest took the CPU the
# handler under test needed. S3's cost for a range does not grow with the object. Here each version
# keeps the bytes it read the first time (they are immutable), so a range costs its own slice; a new
# value, the property's only writer, drops them. Nothing else moto answers changes.
import sys

_KEPT = "_tandem_bench_bytes"


def _keep_version_bytes():
    try:
        from moto.s3.models import FakeKey
    except Exception:
        return  # a Python process that is not moto's: nothing to do
    value = FakeKey.__dict__.get("value")
    if not isinstance(value, property) or value.fget is None or value.fset is None:
        print("tandem bench: moto's FakeKey.value is no longer a property with a setter: ranged GETs copy the whole version", file=sys.stderr, flush=True)
        return

    def read(key):
        kept = key.__dict__.get(_KEPT)
        if kept is None:
            kept = value.fget(key)
            key.__dict__[_KEPT] = kept
        return kept

    def write(key, new_value):
        key.__dict__.pop(_KEPT, None)
        value.fset(key, new_value)

    FakeKey.value = property(read, write, value.fdel, value.__doc__)
    print("tandem bench: moto keeps each version's bytes once read; a range costs its own slice", file=sys.stderr, flush=True)


_keep_version_bytes()
