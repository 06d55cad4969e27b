"""Pictures of reports → positioned text boxes with a confidence, read by RapidOCR (PP-OCRv4, ONNX, CPU).

Used for image-only PDF pages, photos and scans (.jpg/.png …). The models ship inside the
``rapidocr-onnxruntime`` wheel: nothing is downloaded at run time. The engine is loaded lazily, once per
*parse worker* (never in the bot process: this module imports nothing heavy at import time), and a read
runs under its own memory cap (``OCR_MEMORY_MB``) — a worker with the models peaks near 500 MB on a page
(the detector's buffer, read in strips), more than a text parse. Recognition is ~75 % of a page's time:
it runs on two threads (:func:`recognise`), ONNX Runtime on one thread per model. See docs/READING.md
for the comparison with Tesseract that chose this engine, and for the speed and memory measurements.

A photo is rarely square to the page: the text boxes' own slant gives the skew, and the box corners
are rotated back before the grid is built (``boxes.py``), so the image itself is never re-sampled.
"""

from __future__ import annotations

import io
import logging
import math
import statistics
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bot.reading.boxes import Box, BoxDoc, doc_from_pages
from bot.reading.errors import MSG_IMAGE_UNREADABLE, MSG_NO_TEXT, MSG_OCR_UNAVAILABLE, ReadError

log = logging.getLogger(__name__)

#: Address-space cap while OCR runs in a worker, MB (0 = none). ONNX Runtime reserves address space
#: generously; the resident peak is measured in bench/ocr.py. Set in each worker from Settings
#: (NIANBAO_OCR_MEMORY_MB) by the pool's initializer (bot/reading/api.py configure_pool).
OCR_MEMORY_MB = 2048
#: Pages of a scanned PDF read at most (the rest is reported as not read).
MAX_OCR_PAGES = 12
#: A page is brought to about this many pixels on its long side (≈150 dpi on A4): text is then 20–30
#: px high, what PP-OCR's recogniser is trained on; bigger only costs time.
TARGET_LONG_SIDE = 1800

_engine: Any = None
_engine_lock = threading.Lock()


def available() -> bool:
    """True when the OCR engine can be imported (without loading it)."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def engine() -> Any:
    """The RapidOCR engine of this process, loaded on first use (≈1 s).

    One ONNX Runtime thread per model: its default pool (a thread a core) spins between operators, and
    with two parse workers on two cores — or any other load — that spinning cost more than it gained
    (a 300-dpi page 7.5 → 4.3 CPU s at load 5, and less wall time too; bench/ocr.py). The two cores are
    used instead by :func:`recognise`: whole batches on two threads."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise ReadError("ING-02", MSG_OCR_UNAVAILABLE) from exc
            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            _tune_allocator()
            # no angle classifier: pages are upright (a 180° scan is rare and its skew is measured anyway)
            _engine = RapidOCR(use_cls=False, max_side_len=2400, print_verbose=False, rec_batch_num=REC_BATCH,
                               intra_op_num_threads=1, inter_op_num_threads=1)
        return _engine


#: Crops the recogniser reads in one run. It pads a batch to its widest crop (crops are sorted by width
#: first): six a batch (RapidOCR's default) cost 9.4 CPU s for a report's 340 crops, two 8.1 s, and less
#: memory a run; one was no cheaper.
REC_BATCH = 2


#: glibc's M_MMAP_THRESHOLD: a block at least this big gets a mapping of its own, unmapped when freed.
#: The detector's planned buffer (~300 MB a page) is far above it; the recogniser's tensors (a few MB)
#: stay below it and are reused from the heap. At 2 MB the recogniser's tensors were mapped too, and
#: each of its ~60 runs a page faulted its memory in afresh: twice the CPU, a third of it in the kernel.
MMAP_THRESHOLD = 16 * 1024 * 1024

_libc: Any = None


def _tune_allocator() -> None:
    """Fix this worker's mmap threshold (glibc otherwise raises it after the first large free and serves
    the next page's detector buffer from a heap that never shrinks). No effect off glibc."""
    global _libc
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD (also stops its dynamic growth)
        _libc = libc
    except (OSError, AttributeError):
        _libc = None


def _trim() -> None:
    """Give the heap's free pages back to the system (glibc ``malloc_trim``): after a page's detection
    or recognition the worker drops back to ~180 MB, so the next detector peak starts from there."""
    if _libc is not None:
        try:
            _libc.malloc_trim(0)
        except (OSError, AttributeError):
            pass


#: Threads one OCR read recognises on (a worker's share of the machine's cores). Detecting the next page
#: on a third thread meanwhile was faster still, but a detector buffer beside two recognisers took a
#: worker to 650 MB.
OCR_THREADS = 2

_helpers: Any = None


def _threads() -> Any:
    """This process's helper threads for the recogniser, created on first use (a parse worker is a
    process)."""
    global _helpers
    with _engine_lock:
        if _helpers is None:
            from concurrent.futures import ThreadPoolExecutor

            _helpers = ThreadPoolExecutor(max_workers=max(1, OCR_THREADS - 1), thread_name_prefix="ocr")
        return _helpers


def recognise(crops: list[Any]) -> list[tuple[str, float]]:
    """Text and confidence of each crop, in order.

    The recogniser's own batches (crops sorted by width, REC_BATCH a batch, padded to the batch's widest)
    are shared out whole over OCR_THREADS threads — ONNX Runtime lets go of the GIL while it runs — so
    each crop is read exactly as one call over all of them would read it."""
    if not crops:
        return []
    eng = engine()
    size = max(1, int(eng.text_rec.rec_batch_num))
    if OCR_THREADS < 2 or len(crops) <= size:
        return [(str(t), float(s)) for t, s in eng.text_rec(crops)[0]]
    import numpy as np

    # the recogniser's own order (its np.argsort of the same ratios: crops of equal width must fall into
    # the same batches as in one call, or a crop is padded to another batch's width)
    ratios = [c.shape[1] / float(c.shape[0]) for c in crops]
    order = [int(i) for i in np.argsort(np.array(ratios))]
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    # the widest batches first, each to the least loaded thread (a batch costs about its padded width)
    shares: list[list[list[int]]] = [[] for _ in range(OCR_THREADS)]
    load = [0.0] * OCR_THREADS
    for batch in sorted(batches, key=lambda b: -max(ratios[i] for i in b) * len(b)):
        k = load.index(min(load))
        shares[k].append(batch)
        load[k] += max(ratios[i] for i in batch) * len(batch)

    def run(share: list[list[int]]) -> list[tuple[int, tuple[str, float]]]:
        # batch by batch: one call over several batches would sort them again, ties moving across
        return [(i, got) for batch in share for i, got in zip(batch, eng.text_rec([crops[i] for i in batch])[0],
                                                               strict=True)]

    shares = [share for share in shares if share]
    futures = [_threads().submit(run, share) for share in shares[1:]]
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    for i, (text, score) in [*run(shares[0]), *(pair for f in futures for pair in f.result())]:
        out[i] = (str(text), float(score))
    return out


def _prepare(image: Any) -> Any:
    """A PIL image → an RGB numpy array with its long side near TARGET_LONG_SIDE."""
    import numpy as np
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
    image = image.convert("RGB")
    w, h = image.size
    scale = TARGET_LONG_SIDE / max(w, h)
    if scale < 0.9 or scale > 1.6:
        scale = min(scale, 2.0)
        image = image.resize((max(1, round(w * scale)), max(1, round(h * scale))))
    return np.asarray(image)


def _skew(quads: list[list[list[float]]]) -> float:
    """The page's skew in radians: the median slant of the long boxes' top edges."""
    angles = []
    for q in quads:
        (x0, y0), (x1, y1) = q[0], q[1]
        dx, dy = x1 - x0, y1 - y0
        height = math.dist(q[0], q[3])
        if dx > 0 and math.hypot(dx, dy) > 3 * max(height, 1):
            angles.append(math.atan2(dy, dx))
    return statistics.median(angles) if len(angles) >= 3 else 0.0


#: Long side of the image the text *detector* sees (the recogniser reads crops of the full image): small
#: print (18-px table text on a 150-dpi page) is lost below this — whole 表3 rows at 1280 px.
DET_LONG_SIDE = 1600
#: The detector's buffer grows with the pixels it is given (~250 MB for 1.25 M pixels): a page is read
#: in horizontal strips of at most this many pixels (two for an A4 page), so a worker peaks ~150 MB lower
#: than for the whole page at once, for ~25 % more detection time. Not quite the same boxes: the
#: detector weighs its channels by the whole image's average (squeeze-excitation), so a strip's boxes
#: shift by a pixel or two — on 2400 cells of 12 scanned reports, one cell read otherwise, and listed.
DET_STRIP_PIXELS = 1_300_000
#: Rows two neighbouring strips share: a box is kept from the strip where its centre lies above the
#: middle of the shared rows, so a box up to this tall (a vertical header word) is whole in the strip
#: it is kept from; the wider margin also keeps the boxes kept away from a strip's edge.
DET_OVERLAP = 384


def _strips(h: int, w: int) -> list[tuple[int, int]]:
    """Top and bottom rows of the strips covering ``h`` rows of width ``w`` (one strip when it fits).
    A strip's rows are a multiple of 32, as the detector wants them: it would stretch the strip else."""
    n = 1
    while n < 8:
        rows = -(-(h + (n - 1) * DET_OVERLAP) // n)
        if rows * w <= DET_STRIP_PIXELS or rows <= 2 * DET_OVERLAP:
            break
        n += 1
    if n == 1:
        return [(0, h)]
    rows = min(h, 32 * -(-(h + (n - 1) * DET_OVERLAP) // (32 * n)))
    step = (h - rows) / (n - 1)
    return [(round(k * step), round(k * step) + rows) for k in range(n)]


def _bounds(quad: Any) -> tuple[float, float, float, float]:
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())


def _same_text(a: Any, b: Any) -> bool:
    """Two quads from neighbouring strips that are the same text: they overlap over half the smaller."""
    ax0, ay0, ax1, ay1 = _bounds(a)
    bx0, by0, bx1, by1 = _bounds(b)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    return inter > 0.5 * min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))


def detect(array: Any) -> Any:
    """The text quads of one page (numpy RGB), in its pixels; ``None`` when there is no text.

    The detector sees the page at ≤ DET_LONG_SIDE px, strip by strip (:func:`_strips`); each strip's
    buffer is a mapping of its own, gone when it returns, and the heap is trimmed after. A box is taken
    from the strip where its centre lies above the middle of the rows shared with the next strip; one
    near that middle may be seen by both strips, a little differently: it is taken once, from the upper."""
    import numpy as np

    h, w = array.shape[:2]
    scale = min(1.0, DET_LONG_SIDE / max(h, w))
    small = array
    if scale < 1.0:
        from PIL import Image

        small = np.asarray(Image.fromarray(array).resize((max(1, round(w * scale)), max(1, round(h * scale)))))
    strips = _strips(*small.shape[:2])
    cuts = [-1.0, *((strips[k][1] + strips[k + 1][0]) / 2 for k in range(len(strips) - 1)), float("inf")]
    margin = DET_OVERLAP / 4
    found: list[Any] = []
    previous: list[Any] = []  # the upper strip's boxes near the cut
    for k, (top, bottom) in enumerate(strips):
        quads, _ = engine().text_det(np.ascontiguousarray(small[top:bottom]))
        _trim()
        if quads is None or len(quads) == 0:
            previous = []
            continue
        quads = np.asarray(quads, dtype=np.float32)
        quads[:, :, 1] += top
        near: list[Any] = []
        for quad in quads:
            centre = float(quad[:, 1].mean())
            if not cuts[k] - margin <= centre < cuts[k + 1] + margin:
                continue
            if centre < cuts[k] + margin and any(_same_text(quad, p) for p in previous):
                continue
            found.append(quad)
            if centre >= cuts[k + 1] - margin:
                near.append(quad)
        previous = near
    del small
    if not found:
        return None
    return (np.asarray(found, dtype=np.float32) / scale).astype(np.float32)


class PageReader:
    """One page: OCR boxes de-skewed into page coordinates, and :meth:`recover` to re-read one cell."""

    def __init__(self, array: Any) -> None:
        self.array = array
        self._gray: Any = None
        quads = detect(array)
        self.boxes: list[Box] = []
        self.angle = 0.0
        if quads is None:
            return
        eng = engine()
        crops = eng.get_crop_img_list(array, list(quads))
        texts = recognise(crops)
        del crops
        _trim()
        self.angle = _skew([q.tolist() for q in quads])
        cos, sin = math.cos(-self.angle), math.sin(-self.angle)
        boxes: list[Box] = []
        for quad, (text, score) in zip(quads, texts, strict=True):
            if not str(text).strip():
                continue
            pts = [(x * cos - y * sin, x * sin + y * cos) for x, y in quad.tolist()]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            boxes.append(Box(str(text), min(xs), min(ys), max(xs), max(ys), float(score)))
        self.boxes = self._split_header_tails(self._split_wide(self._split_at_rules(self._split_tall(boxes))))

    def _split_at_rules(self, boxes: list[Box]) -> list[Box]:
        """A box with digits that crosses a table's vertical rule (「|2|1」 or 「106」: narrow cells of 表4
        joined by the detector) is cut at the rules, and each cell's piece re-read on its own."""
        out: list[Box] = []
        for b in boxes:
            if not any(ch.isdigit() for ch in b.text) or b.x1 - b.x0 < 1.2 * b.h or b.h > 2.5 * (b.x1 - b.x0):
                out.append(b)
                continue
            inner = [x for x in self.rules(*_rule_band(b.cy, b.h)) if b.x0 + 0.25 * b.h < x < b.x1 - 0.25 * b.h]
            if not inner:
                out.append(b)
                continue
            edges = [b.x0, *inner, b.x1]
            found = []
            for x0, x1 in zip(edges, edges[1:], strict=False):
                if x1 - x0 < 0.35 * b.h:
                    continue
                got = self.recover(x0 + 1, b.y0, x1 - 1, b.y1)
                if got is not None and any(ch.isdigit() for ch in got[0]):
                    found.append(Box(got[0], x0, b.y0, x1, b.y1, min(got[1], b.conf)))
            out.extend(found if found else [b])
        return out

    def _split_header_tails(self, boxes: list[Box]) -> list[Box]:
        """A word of a vertical header (「结果纠正」 set one character a line) that the detector ran on into
        the number under it (read 「正」, the digit lost): when the box's foot lies on a row of numbers,
        that foot is re-read on its own as the row's cell, and the word ends above the row."""
        digits = [b for b in boxes if b.text.strip().isdigit()]
        if len(digits) < 2:
            return boxes
        out: list[Box] = []
        for b in boxes:
            if b.text.strip().isdigit() or b.h < 1.5 * (b.x1 - b.x0):
                out.append(b)
                continue
            row = [d for d in digits if b.y0 + 0.5 * d.h < d.cy < b.y1 and d.h < 0.8 * b.h
                   and abs(d.y1 - b.y1) < 0.8 * d.h]
            if len(row) < 2:
                out.append(b)
                continue
            top = statistics.median(d.y0 for d in row)
            bottom = statistics.median(d.y1 for d in row)
            got = self.recover(b.x0, top - 2, b.x1, bottom + 2)
            if got is None or not got[0].isdigit():
                out.append(b)
                continue
            out.append(Box(b.text, b.x0, b.y0, b.x1, top - 2, b.conf))
            out.append(Box(got[0], b.x0, top, b.x1, bottom, got[1]))
        return out

    def _split_wide(self, boxes: list[Box]) -> list[Box]:
        """A run of digits far wider than its digits (「32160」 over five narrow cells of 表4, joined by the
        detector) is cut at the white gaps between its marks, and each piece re-read."""
        import numpy as np

        out: list[Box] = []
        for b in boxes:
            text = b.text.replace(" ", "")
            if not text.isdigit() or len(text) < 2 or b.x1 - b.x0 < (0.9 * len(text) + 1.5) * b.h:
                out.append(b)
                continue
            cos, sin = math.cos(self.angle), math.sin(self.angle)
            cx, cy = b.cx, b.cy
            ix, iy = cx * cos - cy * sin, cx * sin + cy * cos  # the box centre in the image
            half_w, half_h = (b.x1 - b.x0) / 2, b.h / 2
            h, w = self.array.shape[:2]
            top, bottom = max(0, int(iy - half_h)), min(h, int(iy + half_h) + 1)
            left, right = max(0, int(ix - half_w)), min(w, int(ix + half_w) + 1)
            gray = self.array[top:bottom, left:right].mean(axis=2)
            if gray.size == 0:
                out.append(b)
                continue
            dark = gray < (gray.min() + gray.max()) / 2
            dark[dark.mean(axis=1) > 0.6, :] = False  # the row's own rules above and below
            inked = np.flatnonzero(dark.mean(axis=0) > 0.02)
            if inked.size == 0:
                out.append(b)
                continue
            groups = np.split(inked, np.flatnonzero(np.diff(inked) > max(3, 0.5 * b.h)) + 1)
            if len(groups) < 2:
                out.append(b)
                continue
            for g in groups:
                x0 = b.x0 + (g[0] - 2)
                x1 = b.x0 + (g[-1] + 3)
                got = self.recover(x0, b.y0, x1, b.y1)
                if got is not None:
                    out.append(Box(got[0], x0, b.y0, x1, b.y1, min(got[1], b.conf)))
        return out

    def _split_tall(self, boxes: list[Box]) -> list[Box]:
        """A narrow box two or more lines tall is numbers of stacked rows the detector joined (「05」
        read from a 0 above a 5): each line is re-read on its own."""
        if not boxes:
            return boxes
        h = statistics.median(b.h for b in boxes)
        out: list[Box] = []
        for b in boxes:
            k = round(b.h / h) if h > 0 else 1
            if k < 2 or b.x1 - b.x0 > 4 * h or not any(ch.isdigit() for ch in b.text):
                out.append(b)
                continue
            step = b.h / k
            for i in range(k):
                got = self.recover(b.x0 - 2, b.y0 + i * step, b.x1 + 2, b.y0 + (i + 1) * step)
                if got is not None:
                    out.append(Box(got[0], b.x0, b.y0 + i * step, b.x1, b.y0 + (i + 1) * step, got[1]))
        return out

    def rules(self, y0: float, y1: float) -> list[float]:
        """Page x of the vertical table rules crossing the band ``y0``–``y1`` (page coordinates), left to
        right: columns of ink through the whole band. The band is cut from the image along the page's
        skew (a photo turned 2° drifts 50 px over a page width), so a rule stays one column."""
        import cv2
        import numpy as np

        h, w = self.array.shape[:2]
        band_h = int(round(y1 - y0))
        if band_h < 4:
            return []
        if self._gray is None:
            self._gray = cv2.cvtColor(self.array, cv2.COLOR_RGB2GRAY) if self.array.ndim == 3 else self.array
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        # WARP_INVERSE_MAP: band (u, v) → image (x, y) with page (u, y0 + v) turned by the skew
        m = np.array([[cos, -sin, -sin * y0], [sin, cos, cos * y0]], dtype=np.float64)
        band = cv2.warpAffine(self._gray, m, (w, band_h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=255)
        lo, hi = np.percentile(band, (1, 99))
        if hi - lo < 60:
            return []
        dark = band < (lo + hi) / 2
        dark = dark[dark.mean(axis=1) < 0.5]  # the row's horizontal rules
        if dark.shape[0] < 3:
            return []
        wide = dark.copy()
        wide[:, 1:] |= dark[:, :-1]
        wide[:, :-1] |= dark[:, 1:]
        cols = np.flatnonzero(wide.mean(axis=0) > 0.9)
        if cols.size == 0:
            return []
        return [float(g[0] + g[-1]) / 2 for g in np.split(cols, np.flatnonzero(np.diff(cols) > 2) + 1)]

    def recover(self, x0: float, y0: float, x1: float, y1: float) -> tuple[str, float] | None:
        """Re-read the area of one empty cell (page coordinates): a digit the detector missed is often
        there. ``None`` when nothing is read; the text and the recogniser's confidence otherwise."""
        import numpy as np

        cos, sin = math.cos(self.angle), math.sin(self.angle)
        corners = [(x * cos - y * sin, x * sin + y * cos) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        h, w = self.array.shape[:2]
        left = max(0, int(min(p[0] for p in corners)))
        right = min(w, int(max(p[0] for p in corners)) + 1)
        top = max(0, int(min(p[1] for p in corners)))
        bottom = min(h, int(max(p[1] for p in corners)) + 1)
        if right - left < 4 or bottom - top < 4:
            return None
        crop = self.array[top:bottom, left:right]
        ink = _ink_box(crop)
        if ink is None:
            return None
        top_, bottom_, left_, right_ = ink
        piece = np.ascontiguousarray(crop[top_:bottom_, left_:right_])
        [(text, score)] = recognise([piece])
        text = text.strip()
        return (text, float(score)) if text else None


def _rule_band(cy: float, h: float) -> tuple[float, float]:
    """The band where a row of numbers (centre ``cy``, box height ``h``) shows the table's vertical rules:
    from the row above down to the digits' middle. A 「1」 is dark through its own height, but not in the
    white above it where a rule still runs."""
    return cy - 1.0 * h, cy + 0.2 * h


def _ink_box(crop: Any) -> tuple[int, int, int, int] | None:
    """Where the ink of one cell is: dark pixels without the table's rules, the band of text nearest
    the middle; ``None`` for an empty cell. Cheap (numpy), so the recogniser reads only real marks."""
    import numpy as np

    gray = crop.mean(axis=2) if crop.ndim == 3 else crop.astype(float)
    lo, hi = float(gray.min()), float(gray.max())
    if hi - lo < 60:
        return None
    dark = gray < (lo + hi) / 2
    h, w = dark.shape
    dark[dark.mean(axis=1) > 0.6, :] = False  # horizontal rules
    dark[:, dark.mean(axis=0) > 0.6] = False  # vertical rules
    rows = np.flatnonzero(dark.any(axis=1))
    if rows.size < 3 or dark.sum() < 8:
        return None
    # runs of inked rows; keep the one nearest the middle (not the edge of the row above or below)
    runs = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    band = min(runs, key=lambda run: abs((run[0] + run[-1]) / 2 - h / 2))
    if band.size < max(3, h // 6):
        return None
    cols = np.flatnonzero(dark[band[0] : band[-1] + 1].any(axis=0))
    pad = max(4, band.size // 2)  # the recogniser wants some white around a lone digit
    return (max(0, band[0] - pad), min(h, band[-1] + 1 + pad), max(0, cols[0] - pad), min(w, cols[-1] + 1 + pad))


def boxes_of(array: Any) -> list[Box]:
    """OCR one page (numpy RGB) → boxes, de-skewed into page coordinates."""
    return PageReader(array).boxes


def _with_memory_cap(func: Callable[[], Any]) -> Any:
    """Run ``func`` with the worker's address-space cap raised to OCR_MEMORY_MB, then put it back."""
    try:
        import resource
    except ImportError:
        return func()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if OCR_MEMORY_MB <= 0 or soft == resource.RLIM_INFINITY:
        return func()
    want = OCR_MEMORY_MB * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):
        return func()
    try:
        return func()
    finally:
        # the loaded models stay mapped: put the text-parse cap back only if the process fits under it
        if _vm_bytes() < soft:
            try:
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
            except (ValueError, OSError):
                pass


def _vm_bytes() -> int:
    """This process's address space in bytes (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def open_image(data: bytes) -> Any:
    """Image bytes → PIL image, refusing what Pillow cannot open (or pixel bombs) with ING-01."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ReadError("ING-01", MSG_IMAGE_UNREADABLE) from exc
    return image


def doc_from_image(data: bytes) -> BoxDoc:
    """A photo or scan of a page (or of one table) → rows with per-cell confidence."""
    image = open_image(data)

    def run() -> BoxDoc:
        return doc_from_pages([PageReader(_prepare(image))], "image")

    doc = _with_memory_cap(run)
    if not doc.rows:
        raise ReadError("ING-01", MSG_NO_TEXT)
    return doc


def pdf_page_images(data: bytes, limit: int = MAX_OCR_PAGES) -> list[Any]:
    """The pages of a PDF as PIL images, rendered by PDFium near TARGET_LONG_SIDE pixels."""
    return list(iter_pdf_page_images(data, limit))


def iter_pdf_page_images(data: bytes, limit: int = MAX_OCR_PAGES) -> Iterator[Any]:
    """:func:`pdf_page_images` one page at a time: a page is rendered when the reader gets to it, so a
    12-page scan never holds twelve ~7 MB images (and their arrays) beside the detector's buffer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(min(len(pdf), limit)):
            page = pdf[i]
            w, h = page.get_size()
            scale = TARGET_LONG_SIDE / max(w, h, 1)
            image = page.render(scale=scale).to_pil()
            page.close()
            yield image
    finally:
        pdf.close()


def read_pages(images: Iterable[Any]) -> Iterator[PageReader]:
    """Page images (PIL) → their readers, one at a time (for :func:`doc_from_pages`, which builds a
    page's rows before it takes the next): only one page's pixels are alive."""
    for image in images:
        yield PageReader(_prepare(image))


def doc_from_scanned_pdf(data: bytes) -> BoxDoc:
    """An image-only PDF: every page rendered and read by OCR."""

    def run() -> BoxDoc:
        return doc_from_pages(read_pages(iter_pdf_page_images(data)), "pdf")

    doc = _with_memory_cap(run)
    if not doc.rows:
        from bot.reading.errors import MSG_SCANNED

        raise ReadError("ING-02", MSG_SCANNED)
    return doc


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF (for the progress message), 0 when it cannot be opened."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:
        return 0


def pdf_is_scan(data: bytes, pages: int = MAX_OCR_PAGES) -> bool:
    """True when the PDF opens, has pages, and none has a character in its text layer (pictures only)."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - unreadable: the readers' own error stands
        return False
    try:
        if len(pdf) == 0:
            return False
        for i in range(min(len(pdf), pages)):
            page = pdf[i]
            text = page.get_textpage()
            try:
                if text.count_chars() > 0:
                    return False
            finally:
                text.close()
                page.close()
        return True
    finally:
        pdf.close()
