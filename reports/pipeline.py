"""The first half of every run: load, validate, compute the metrics once.

Flow: ``load -> validate -> cs_calc metrics``. Documents then only arrange
what :class:`RunContext` holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from cs_calc import DEFINITIONS_VERSION
from cs_calc.account_facts import CommentTags, tag_comments_by_account
from cs_calc.leadership_metrics import LeadershipMetrics, compute_leadership_metrics
from cs_calc.nps_digest_metrics import NpsDigestMetrics, compute_nps_digest_metrics
from cs_calc.periods import Window, last_complete_quarter, parse_month, parse_quarter
from cs_calc.portfolio import PortfolioMetrics, compute_portfolio_metrics
from cs_calc.text.themes import ThemeTaxonomy, tag_comments
from cs_calc.weekly import (
    IsoWeek,
    WeeklyKpis,
    WeeklyOptions,
    WeekOutsideDataError,
    check_week_in_data,
    compute_weekly_kpis,
)
from reports.data import nps_config
from reports.data.dataset import Dataset
from reports.data.loading import describe_source, load_tables
from reports.data.settings import Settings, load_settings
from reports.data.validation import validate_tables
from reports.errors import ConfigError, PeriodError
from reports.resources import sample_data_dir


@dataclass(frozen=True)
class RunContext:
    """Validated data, settings and the metrics of one window.

    A document whose period is not the run's window (the weekly email's
    trailing 12 months) reads :meth:`metrics_for`, which computes another
    window's metrics once per run; documents never call ``cs_calc`` for them.
    """

    dataset: Dataset
    settings: Settings
    metrics: PortfolioMetrics
    _other_windows: dict[Window, PortfolioMetrics] = field(default_factory=dict, compare=False, repr=False)

    @property
    def window(self) -> Window:
        return self.metrics.window

    @cached_property
    def leadership(self) -> LeadershipMetrics:
        """The leadership documents' figures of the run's window, computed on first use, once."""
        return compute_leadership_metrics(
            self.metrics,
            self.dataset.tables,
            taxonomy=self.settings.metrics.churn_taxonomy,
            segments=self.settings.segment_names,
            regions=self.settings.regions,
        )

    @cached_property
    def account_comment_tags(self) -> dict[str, dict[str, CommentTags]]:
        """Account id -> response id -> themes and tone of the NPS comments before ``as_of``.

        The QBR decks' view of :attr:`comment_tags` (every comment is tagged
        once per run, for the decks and the NPS digest alike).
        """
        nps = self.dataset.tables["nps"]
        if nps.empty or "comment" not in nps.columns:
            return {}
        return tag_comments_by_account(nps, self.comment_tags, self.metrics.as_of)

    def metrics_for(self, window: Window) -> PortfolioMetrics:
        """The metrics of ``window``: the run's own, or computed once and kept for the run."""
        if window == self.metrics.window:
            return self.metrics
        if window not in self._other_windows:
            self._other_windows[window] = compute_portfolio_metrics(
                self.dataset.tables, window, self.settings.metrics
            )
        return self._other_windows[window]

    # ------------------------------------------------------------------ NPS comments and the NPS digest

    @cached_property
    def nps_taxonomy(self) -> ThemeTaxonomy:
        """The NPS theme taxonomy (``nps_themes.yaml``, the user's --config folder first), read once.

        Raises :class:`~reports.errors.ConfigError` for a bad file.
        """
        return nps_config.load_taxonomy(self.settings.config_dirs)

    @cached_property
    def comment_tags(self) -> pd.DataFrame:
        """Every NPS response's comment tagged once per run, for every document that reads comments.

        :func:`cs_calc.text.themes.tag_comments` of the whole ``nps`` table
        (all dates, all accounts; comments as loaded, not cleaned) with the
        taxonomy of :attr:`nps_taxonomy` and the hand corrections of
        ``nps_overrides.yaml``. Same index and order as
        ``dataset.tables["nps"]``; columns
        :data:`cs_calc.text.themes.TAGGED_COLUMNS` (``language`` is the
        language found). Raises :class:`~reports.errors.ConfigError` for a bad
        taxonomy or override file.
        """
        config_dirs = self.settings.config_dirs
        taxonomy = self.nps_taxonomy
        overrides = nps_config.load_overrides(config_dirs)
        try:
            return tag_comments(self.dataset.tables["nps"], taxonomy, overrides)
        except ValueError as exc:
            raise ConfigError(f"{config_dirs.find('nps_overrides.yaml')}: {exc}") from exc

    @cached_property
    def _nps_digests(self) -> dict[tuple[Window, str | None], NpsDigestMetrics]:
        return {}

    def nps_digest(self, quarter: Window, segment: str | None = None) -> NpsDigestMetrics:
        """The NPS digest figures of ``quarter`` for ``segment`` (configured spelling) or all accounts.

        Computed on first use and kept for the run, keyed by ``(quarter,
        segment)``, so the PDF in each language and the comments CSV share one
        computation. Money is the quarter's (:meth:`metrics_for`), not the
        run window's.
        """
        key = (quarter, segment)
        if key not in self._nps_digests:
            metrics = self.metrics_for(quarter)
            self._nps_digests[key] = compute_nps_digest_metrics(
                self.dataset.tables["nps"],
                self.comment_tags,
                self.dataset.tables,
                metrics.accounts,
                metrics.matrix,
                quarter,
                taxonomy=self.nps_taxonomy,
                segment=segment,
                segments=self.settings.segment_names,
                regions=self.settings.regions,
            )
        return self._nps_digests[key]

    @property
    def provenance(self) -> dict[str, str]:
        """What every document states at its end, so a number can be traced."""
        return {
            "period": self.window.label,
            "source": self.dataset.source,
            "definitions_version": DEFINITIONS_VERSION,
            "inputs_hash": self.dataset.input_hash,
        }

    # ------------------------------------------------------------------ weekly email
    # The weekly email's figures: one ISO week's KPIs over the 12 months ending the
    # week's MRR month, computed once per run and week (and options), read by
    # reports/documents/email only.

    @classmethod
    def for_week(cls, dataset: Dataset, settings: Settings, week: IsoWeek) -> RunContext:
        """A run whose own window is ``week``'s trailing 12 months (``csreports weekly-email``).

        Raises :class:`PeriodError` naming the last week with data when the data
        does not cover ``week``, before computing anything.
        """
        _check_week(dataset, week)
        window = week.trailing_12_months
        return cls(dataset, settings, compute_portfolio_metrics(dataset.tables, window, settings.metrics))

    def weekly_metrics(self, week: IsoWeek) -> PortfolioMetrics:
        """The portfolio metrics of ``week``'s trailing 12 months (:meth:`metrics_for`), once per run.

        Health and signals are as of the first day after the week's MRR month.
        Raises :class:`PeriodError` naming the last week with data when the
        data does not cover ``week``.
        """
        _check_week(self.dataset, week)
        return self.metrics_for(week.trailing_12_months)

    def weekly(self, week: IsoWeek, options: WeeklyOptions | None = None) -> WeeklyKpis:
        """Every figure of the weekly email for ``week``, computed on first use and kept for the run.

        Money in the reporting currency, rates as fractions, times in hours
        (:mod:`cs_calc.weekly`). ``options`` (trend length, renewal horizon in
        days, at-risk rows, targets) default to :class:`WeeklyOptions`; each
        distinct ``(week, options)`` is computed once. Raises
        :class:`PeriodError` naming the last week with data when the data
        does not cover ``week``.
        """
        options = options or WeeklyOptions()
        key = (week, options)
        if key not in self._weekly_kpis:
            metrics = self.weekly_metrics(week)
            self._weekly_kpis[key] = compute_weekly_kpis(
                self.dataset.tables,
                metrics.matrix,
                metrics.movements,
                metrics.health,
                metrics.signals,
                week,
                segments=self.settings.segment_names,
                trend_weeks=options.trend_weeks,
                renewal_days=options.renewal_days,
                at_risk_limit=options.at_risk_limit,
                count_reactivation_in_nrr=self.settings.metrics.count_reactivation_in_nrr,
                targets=options.targets,
            )
        return self._weekly_kpis[key]

    @cached_property
    def _weekly_kpis(self) -> dict[tuple[IsoWeek, WeeklyOptions], WeeklyKpis]:
        """The cache of :meth:`weekly`."""
        return {}


def _check_week(dataset: Dataset, week: IsoWeek) -> None:
    """:func:`cs_calc.weekly.check_week_in_data` as a :class:`PeriodError` (exit code 1)."""
    try:
        check_week_in_data(dataset.tables, week)
    except WeekOutsideDataError as exc:
        raise PeriodError(str(exc)) from exc


def load_dataset(data: str | Path | None, settings: Settings) -> Dataset:
    """Load and validate ``data`` (folder or URL); ``None`` means the bundled sample."""
    source = sample_data_dir() if data is None else data
    raw = load_tables(source)
    dataset = validate_tables(raw, settings.validation)
    if not isinstance(source, str) or "://" not in str(source):
        return Dataset.from_tables(dataset.tables, source=describe_source(source))
    return dataset


def resolve_window(
    dataset: Dataset, *, quarter: str | None = None, start: str | None = None, end: str | None = None
) -> Window:
    """The window asked for, or by default the last complete quarter of MRR data.

    Raises :class:`PeriodError` naming the months the data covers when the
    window ends after the last month of MRR data or before the first one: a
    document of a period without data would show nothing but zeros.
    """
    months = dataset.tables["mrr"]["month"]
    first_month, last_month = months.min(), months.max()
    if pd.isna(last_month):
        raise PeriodError("the mrr table has no rows, so there is no period to report on")
    try:
        if quarter and (start or end):
            raise PeriodError("give either --quarter or --start/--end, not both")
        if quarter:
            window = parse_quarter(quarter)
        elif start or end:
            if not (start and end):
                raise PeriodError("--start and --end go together")
            window = Window(parse_month(start), parse_month(end))
        else:
            window = last_complete_quarter(last_month)
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(str(exc)) from exc
    covers = f"the data covers {first_month:%Y-%m} to {last_month:%Y-%m}"
    if window.end > last_month:
        raise PeriodError(
            f"period {window.label} ends after the last month of MRR data ({last_month:%Y-%m}); {covers}"
        )
    if window.end < first_month:
        raise PeriodError(
            f"period {window.label} ends before the first month of MRR data ({first_month:%Y-%m}); {covers}"
        )
    return window


def prepare_run(
    data: str | Path | None,
    *,
    config_dir: Path | None = None,
    quarter: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> RunContext:
    """Load settings and data, pick the window and compute every metric."""
    settings = load_settings(config_dir)
    dataset = load_dataset(data, settings)
    window = resolve_window(dataset, quarter=quarter, start=start, end=end)
    metrics = compute_portfolio_metrics(dataset.tables, window, settings.metrics)
    return RunContext(dataset, settings, metrics)
