"""Figures of sweeps: Hessian indices, loss against index, real counts, counts against the Λ scale."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..exceptions import InputError
from ..results.sweep_result import InstanceStatus, SweepInstance, SweepResult
from .style import COLUMN_WIDTH, new_figure, percent

__all__ = ["index_histogram", "loss_by_index", "real_counts", "regularization_scale", "lambda_scale"]


def _sweeps(sources: Sequence) -> list[SweepResult]:
    sweeps = [s for s in sources if isinstance(s, SweepResult)]
    if len(sweeps) != len(sources):
        kinds = sorted({type(s).__name__ for s in sources if not isinstance(s, SweepResult)})
        raise InputError("sources", f"this figure reads sweeps, got {', '.join(kinds)}",
                         "give sweep directories (algeo sweep --out) or SweepResult objects")
    if not all(_usable(s) for s in sweeps):
        raise InputError("sources", "a sweep has no instance solved without a flag", "run (or resume) the sweep first")
    return sweeps


def _usable(sweep: SweepResult) -> list[SweepInstance]:
    """The instances a figure shows: solved with every consistency check passed (flagged ones may miss points)."""
    return [e for e in sweep.solved if e.status is InstanceStatus.OK]


def _instances_text(sweep: SweepResult) -> str:
    left_out = len(sweep.solved) - len(_usable(sweep))
    return f"{len(_usable(sweep))} instances" + (f" ({left_out} flagged left out)" if left_out else "")


def _histogram(sweep: SweepResult) -> dict[int, int]:
    histogram: dict[int, int] = {}
    for entry in _usable(sweep):
        for index, count in entry.counts.index.items():
            histogram[index] = histogram.get(index, 0) + count
    return histogram


def _label(sweep: SweepResult) -> str:
    s = sweep.settings
    return f"{','.join(map(str, s.widths))}, $m = {s.samples}$"


def index_histogram(sources: Sequence):
    """Real critical points by Hessian index, summed over each sweep's instances (bars, with shares)."""
    sweeps = _sweeps(sources)
    figure, axes = new_figure(COLUMN_WIDTH, 2.4)
    width = 0.8 / len(sweeps)
    for k, sweep in enumerate(sweeps):
        histogram = _histogram(sweep)
        total = sum(histogram.values())
        indices = sorted(histogram)
        xs = [i + (k - (len(sweeps) - 1) / 2) * width for i in indices]
        bars = axes.bar(xs, [histogram[i] for i in indices], width=width * 0.95,
                        label=f"{_label(sweep)}: {_instances_text(sweep)}")
        for bar, i in zip(bars, indices):
            axes.annotate(percent(100 * histogram[i] / total), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                          ha="center", va="bottom", fontsize=6)
    axes.set_xlabel("Hessian index (negative eigenvalues)")
    axes.set_ylabel("real critical points")
    axes.set_xticks(sorted({i for s in sweeps for i in _histogram(s)}))
    axes.set_ylim(top=axes.get_ylim()[1] * 1.3)  # room for the legend above the bars
    axes.legend(frameon=False, loc="upper right")
    figure.tight_layout()
    return figure


def loss_by_index(sources: Sequence):
    """Loss of every real critical point against its Hessian index (reads the instance files)."""
    sweeps = _sweeps(sources)
    import numpy

    figure, axes = new_figure(COLUMN_WIDTH, 2.6)
    rng = numpy.random.default_rng(0)  # jitter only
    for k, sweep in enumerate(sweeps):
        indices, losses = [], []
        for result in sweep.instance_results():
            if not result.ok:
                continue
            for point in result.real_points:
                if point.index_of_hessian is not None and point.loss is not None:
                    indices.append(point.index_of_hessian)
                    losses.append(point.loss)
        jitter = rng.uniform(-0.18, 0.18, len(indices)) + (k - (len(sweeps) - 1) / 2) * 0.3
        axes.scatter(numpy.array(indices) + jitter, losses, s=4, alpha=0.5, linewidths=0,
                     label=f"{_label(sweep)}: {len(losses)} points, {_instances_text(sweep)}")
        for index in sorted(set(indices)):
            values = [loss for i, loss in zip(indices, losses) if i == index]
            axes.plot([index - 0.3, index + 0.3], [numpy.median(values)] * 2, color="black", linewidth=0.8)
    axes.set_yscale("log")
    axes.set_xlabel("Hessian index (negative eigenvalues)")
    axes.set_ylabel(r"loss $L$ at the critical point")
    axes.set_xticks(sorted({i for s in sweeps for i in _histogram(s)}))
    axes.legend(frameon=False, markerscale=3, title="black bars: median", title_fontsize=6)
    figure.tight_layout()
    return figure


def real_counts(sources: Sequence):
    """Distribution of ``N_R`` (real critical points of an instance) across each sweep's instances."""
    sweeps = _sweeps(sources)
    figure, axes = new_figure(COLUMN_WIDTH, 2.4)
    counts = [[e.counts.real for e in _usable(s)] for s in sweeps]
    high = max(max(c) for c in counts)
    bins = [x - 0.5 for x in range(0, high + 2)]
    labels = [f"{_label(s)}, {_instances_text(s)}: mean {sum(c) / len(c):.1f}, max {max(c)}"
              for s, c in zip(sweeps, counts)]
    axes.hist(counts if len(counts) > 1 else counts[0], bins=bins, label=labels if len(counts) > 1 else labels[0],
              rwidth=0.85)
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(r"real critical points $N_R$ of an instance")
    axes.set_ylabel("instances")
    axes.set_ylim(top=axes.get_ylim()[1] * 1.2)  # room for the legend
    axes.legend(frameon=False, loc="upper right")
    figure.tight_layout()
    return figure


def lambda_scale(sweep: SweepResult) -> Fraction:
    """The factor of a sweep's ``Lambda``: ``SCALE`` of ``generic*SCALE``, 1 for ``generic``."""
    text = str(sweep.settings.regularization).strip().lower()
    if text == "generic":
        return Fraction(1)
    if text.startswith("generic*"):
        return Fraction(text.removeprefix("generic*").strip())
    raise InputError("sources", f"a sweep with regularization {sweep.settings.regularization!r} has no Lambda scale",
                     "give sweeps run with --regularization generic or generic*SCALE")


def regularization_scale(sources: Sequence):
    """Critical points as the scale ``s`` of ``Lambda = s Lambda_0`` shrinks: one sweep per scale.

    ``N_C`` (complex, generic), mean and range of ``N_R`` and the mean number of local minima
    per instance, against ``s`` on a logarithmic axis (decreasing to the right).
    """
    sweeps = sorted(_sweeps(sources), key=lambda_scale, reverse=True)
    scales = [float(lambda_scale(s)) for s in sweeps]
    figure, axes = new_figure(COLUMN_WIDTH, 2.6)
    real = [[e.counts.real for e in _usable(s)] for s in sweeps]
    minima = [[e.counts.local_minima for e in _usable(s)] for s in sweeps]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    axes.fill_between(scales, [min(r) for r in real], [max(r) for r in real], alpha=0.2, linewidth=0,
                      label=r"$N_R$ range")
    axes.plot(scales, [mean(r) for r in real], "o-", markersize=3, label=r"$N_R$ (real), mean")
    axes.plot(scales, [mean(m) for m in minima], "s--", markersize=3, label="local minima, mean")
    complex_counts = [sorted({e.counts.complex for e in _usable(s)}) for s in sweeps]
    axes.set_xscale("log")
    axes.invert_xaxis()
    axes.set_xlabel(r"regularization scale $s$ ($\Lambda = s\,\Lambda_0$)")
    axes.set_ylabel("critical points per instance")
    counts_text = ", ".join(sorted({"/".join(map(str, c)) for c in complex_counts}))
    instances = sorted({len(_usable(s)) for s in sweeps})
    left_out = sum(len(s.solved) - len(_usable(s)) for s in sweeps)
    axes.set_title(f"{_label(sweeps[0])}; $N_C$ = {counts_text}\n{'/'.join(map(str, instances))} instances per scale"
                   + (f" ({left_out} flagged left out)" if left_out else ""))
    axes.legend(frameon=False)
    figure.tight_layout()
    return figure
