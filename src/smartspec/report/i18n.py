"""The report's texts, in one translation system with the platform: English messages
marked with their context (``pgettext("report", …)``, found by Django's ``makemessages``)
and translated from the same gettext catalogue (``smartspec/locale``) that the platform
uses, so that a term reads the same in the report and on the platform's pages."""

from __future__ import annotations

import gettext
from functools import lru_cache
from importlib import resources

#: The gettext catalogue of the report and the platform (domain ``django``).
LOCALE_DIR = resources.files("smartspec").joinpath("locale")


def pgettext(context: str, message: str) -> str:
    """Marks a message for the catalogue (the translation is looked up by :func:`t`)."""
    return message


MESSAGES = {
    "title": pgettext("report", "Smart specialisation analysis"),
    "generated": pgettext("report", "Generated"),
    "contents": pgettext("report", "Contents"),
    "profile": pgettext("report", "1. Profile"),
    "specialisations": pgettext("report", "2. Specialisations"),
    "portfolio": pgettext("report", "3. Strength portfolio"),
    "relatedness": pgettext("report", "4. Relatedness and opportunities"),
    "outside": pgettext("report", "5. The outside world"),
    "priorities": pgettext("report", "6. Declared priorities against the evidence"),
    "methods": pgettext("report", "7. Methods and sources"),
    "profile_intro_country": pgettext("report", "Employment by activity in {region}, compared with {country}."),
    "profile_intro": pgettext(
        "report",
        "Employment by activity in {region}, compared with {country} and the {n} reference regions."),
    "data_intro": pgettext(
        "report",
        "Data: {dataset} ({measure}), {year}, by {tier} and {level}; {n} {tier} regions form the "
        "reference set. {total}"),
    "total_TOTAL": pgettext("report", "The region's total is the publisher's own total{hidden}."),
    "total_sections": pgettext(
        "report",
        "The region's total is the sum of the publisher's sections{hidden}."),
    "total_parts": pgettext(
        "report",
        "The publisher gives no total for the region: its total is the sum of the known cells ({n} "
        "suppressed cells are left out, so shares are somewhat overstated)."),
    "hidden": pgettext("report", "; suppressed or rounded cells hide {share} of it"),
    "series_intro": pgettext("report", "Change: {dataset}, {y0}–{y1}, by {level}."),
    "share_reference": pgettext("report", "Share, reference regions"),
    "more_rows": pgettext("report", "{n} more rows are in the JSON and Excel outputs."),
    "data_parent_region": pgettext(
        "report",
        "The data for {region} itself are too coarse for relatedness: sections 2, 4 and 5 use {parent}, "
        "the region that contains it."),
    "data_reference": pgettext(
        "report",
        "The region's own data are compared with {n} regions of {dataset} ({level})."),
    "profile_recoded": pgettext("report", "GDP per head: {region} is published as {code} in {dataset}."),
    "profile_no_gdp": pgettext("report", "No GDP per head is published for {region} in {dataset}."),
    "gdp_SE": pgettext("report", "Sweden"),
    "gdp_NUTS2_MEDIAN": pgettext("report", "NUTS 2 median"),
    "structure_source": pgettext("report", "Source: {dataset}, {year}, level: {level}."),
    "gdp_intro": pgettext("report", "GDP per head (EUR), {region} and {comparison}."),
    "spec_intro": pgettext(
        "report",
        "Location quotients (LQ) of every {level} with employment in {region}, against all {n} {tier} "
        "regions of {dataset} ({year}). LQ ≥ 1 means the activity's share of the region's employment is "
        "at least its share in the reference regions. P(LQ ≥ 1) is the share of {draws} Poisson resamples"
        " of the counts in which LQ ≥ 1; fragile: the call holds in fewer than 90 % of them."),
    "change_intro": pgettext(
        "report",
        "Employment by {level} in {region}, {y0}–{y1}, against {reference}: growth, LQ and shift-share "
        "(national share + industry mix + competitive effect = change)."),
    "portfolio_intro": pgettext(
        "report",
        "Each {level} by its LQ ({y1}) and employment growth {y0}–{y1}; bubble size = employment. "
        "Categories and their rules:"),
    "rel_intro": pgettext(
        "report",
        "The industry space links activities ({level}) that tend to be specialisations of the same "
        "regions (proximity, Hidalgo et al. 2007); {region}'s specialisations are highlighted. "
        "Relatedness density says how much of an activity's related activity the region already has."),
    "complexity_chosen": pgettext(
        "report",
        "Complexity is read with {measure}, the first measure that passes the diagnostics on these data "
        "(it rises with diversity and, where GDP per head is known, with income); mining and quarrying are "
        "left out, as their location follows geology. {region} ranks {rank} of {n} regions ({rank_c} of "
        "{n_c} in the country)."),
    "complexity_none": pgettext(
        "report",
        "No complexity measure passes the diagnostics on these data: none rises with both diversity and "
        "income, so a complexity ranking here would mean something else. Complexity is left out of the "
        "opportunity scores, which rest on relatedness alone."),
    "complexity_unvalidated": pgettext(
        "report",
        "Its activity values do not rise with the income of the regions that hold them: they are kept out "
        "of the opportunity scores, which rest on relatedness alone."),
    "complexity_table": pgettext("report", "Diagnostics of the candidate measures (Spearman rank correlations):"),
    "measure": pgettext("report", "Measure"),
    "rho_diversity": pgettext("report", "ρ with diversity"),
    "rho_gdp": pgettext("report", "ρ with GDP per head"),
    "eigengap": pgettext("report", "Eigengap"),
    "most_complex": pgettext("report", "Highest"),
    "least_complex": pgettext("report", "Lowest"),
    "measure_eci": pgettext("report", "the eigenvector ECI (Hidalgo & Hausmann 2009)"),
    "measure_fitness": pgettext("report", "fitness–complexity (Tacchella et al. 2012)"),
    "measure_genepy": pgettext("report", "GENEPY (Sciarra et al. 2020)"),
    "chosen_measure": pgettext("report", "used"),
    "opp_intro": pgettext(
        "report",
        "Top diversification opportunities (activities not yet specialised), scored {weights} on "
        "distance, complexity and outlook gain; the reasons are the region's specialisations most related"
        " to each."),
    "parent_note": pgettext(
        "report",
        "Division-level data exist at NUTS 2 only: sections 2, 4 and 5 use {parent}, the NUTS 2 region "
        "that contains {region}."),
    "no_series": pgettext(
        "report",
        "No employment series covers this region: growth, shift-share and the strength portfolio need "
        "years, and the SBS table has a single year. Import a series (smartspec data import) to add them."),
    "external_lacks_note": pgettext(
        "report",
        "The external relatedness has no flows for the divisions {activities}; they count as related to "
        "nothing but themselves."),
    "rel_source_flows": pgettext(
        "report",
        "skill-relatedness from {moves} job moves between industries ({file})"),
    "rel_source_matrix": pgettext("report", "the relatedness matrix {file}"),
    "rel_external": pgettext(
        "report",
        "Relatedness density, distance, outlook gain and partner scores use {source} (negative values "
        "count as unrelated); the industry space above still shows co-occurrence proximity."),
    "no_divisions": pgettext(
        "report",
        "No data at division level or finer cover this region; broad groups are too coarse for "
        "relatedness and complexity, so this section is left out rather than shown misleadingly."),
    "peers_intro": pgettext(
        "report",
        "Structurally similar regions ({pool}): z-scored structural variables ({variables}), Euclidean "
        "distance (Navarro et al. 2014). Performance variables are not used."),
    "partners_intro": pgettext(
        "report",
        "Potential partner regions: similarity of specialisation profiles (cosine of LQ vectors) and "
        "complementarity (the partner's specialisations that {region} lacks but is related to)."),
    "priorities_intro": pgettext(
        "report",
        "The S3 areas {region} declares (current strategy), beside the evidence. The NACE codes are "
        "matched to the areas' names by meaning, on the official titles and Eurostat's explanatory notes "
        "(hover over a code for why); they are a suggestion, not stated by the region: set your own in the "
        "platform. Horizontal themes get no codes."),
    "horizontal": pgettext("report", "horizontal theme"),
    "not_listed": pgettext(
        "report",
        "The declared areas of {regions} are not in the compiled list of Swedish S3 areas (it covers 20 of "
        "the 21 regions): this says nothing about whether the region has priorities, only that they were "
        "not found. Add them in the platform."),
    "parent_badge": pgettext("report", "Figures for {parent}, the region that contains {region}"),
    "similar_intro": pgettext(
        "report",
        "Regions declaring similar areas (matched on Swedish and English names):"),
    "not_swedish": pgettext(
        "report",
        "Declared priorities are available for Swedish regions (the mirror's s3_priority_areas.csv)."),
    "suppressed_note": pgettext(
        "report",
        "{n} cells of the reference table are suppressed (confidential or not available). They stay "
        "missing in the LQs and shares; the co-occurrence network takes them at their estimates under the "
        "published totals ({zero} cells that no total covers count as 0). Estimates are marked ≈."),
    "small": pgettext("report", "LQ ≥ 1 on a few workplaces"),
    "basis_estimated": pgettext("report", "on estimates"),
    "basis_coarser": pgettext("report", "on a broader activity"),
    "confidence_high": pgettext("report", "the region's own source"),
    "confidence_medium": pgettext("report", "a national or EU summary"),
    "confidence_low": pgettext("report", "a secondary mention"),
    "estimate_interval": pgettext("report", "≈ {value} (between {low} and {high})"),
    "activity": pgettext("report", "Activity"),
    "employment": pgettext("report", "Employment"),
    "lq": pgettext("report", "LQ"),
    "lq_country": pgettext("report", "LQ vs country"),
    "stability": pgettext("report", "P(LQ ≥ 1)"),
    "fragile": pgettext("report", "fragile"),
    "suppressed": pgettext("report", "suppressed"),
    "growth": pgettext("report", "Growth"),
    "growth_country": pgettext("report", "Growth, country"),
    "national_share": pgettext("report", "National share"),
    "industry_mix": pgettext("report", "Industry mix"),
    "competitive": pgettext("report", "Competitive"),
    "category": pgettext("report", "Category"),
    "score": pgettext("report", "Score"),
    "density": pgettext("report", "Density"),
    "pci": pgettext("report", "Complexity (PCI)"),
    "cog": pgettext("report", "Outlook gain"),
    "reasons": pgettext("report", "Builds on"),
    "region": pgettext("report", "Region"),
    "distance": pgettext("report", "Distance"),
    "rank": pgettext("report", "Rank"),
    "similarity": pgettext("report", "Similarity"),
    "complementarity": pgettext("report", "Complementarity"),
    "shared": pgettext("report", "Shared specialisations"),
    "complementary": pgettext("report", "Complementary"),
    "area": pgettext("report", "Area"),
    "nace": pgettext("report", "NACE (suggested)"),
    "verdict": pgettext("report", "Evidence"),
    "source": pgettext("report", "Source"),
    "share": pgettext("report", "Share"),
    "share_country": pgettext("report", "Share, country"),
    "dataset": pgettext("report", "Dataset"),
    "licence": pgettext("report", "Licence"),
    "retrieved": pgettext("report", "Retrieved"),
    "used_for": pgettext("report", "Used for"),
    "parameters": pgettext("report", "Parameters"),
    "indicators": pgettext("report", "Indicators"),
    "chosen": pgettext("report", "chosen"),
    "established": pgettext("report", "established strength"),
    "declining": pgettext("report", "declining specialisation"),
    "emerging": pgettext("report", "emerging"),
    "potential": pgettext("report", "potential"),
    "other": pgettext("report", "other"),
    "break": pgettext("report", "series break"),
    "strength": pgettext("report", "supported: a strength"),
    "partial": pgettext("report", "partly supported"),
    "weak": pgettext("report", "weak evidence"),
    "no_nace": pgettext("report", "no NACE match"),
    "no_data": pgettext("report", "no data"),
    "unknown": pgettext("report", "unknown: suppressed in the statistics"),
    "yes": pgettext("report", "yes"),
    "no": pgettext("report", "no"),
    "period": pgettext("report", "Period"),
    "year": pgettext("report", "Year"),
    "home": pgettext("report", "home region"),
    "peer": pgettext("report", "benchmark region"),
    "maps_title": pgettext("report", "Strengths and declared areas across the kommuner"),
    "maps_intro": pgettext(
        "report",
        "The region's strengths (its {n} largest specialisations) and its declared areas across {area}: "
        "each map colours the kommuner by the activity's location quotient against Sweden (LQ, the "
        "activity's share of the kommun's employment against its share in all Swedish kommuner; orange "
        "above 1, blue below, grey where unknown). Data: {dataset}, {year}, {level}. Hover for employment"
        " and LQ; the numbers are in the JSON and Excel outputs."),
    "maps_no_kommun_data": pgettext(
        "report",
        "No dataset with kommun rows covers the region, so the strengths and declared areas are not "
        "mapped by kommun. Import kommun data (e.g. smartspec microdata aggregate, then smartspec data "
        "import) to add the maps."),
    "maps_lan_of": pgettext("report", "the county (län) of {region}"),
    "maps_strength": pgettext("report", "strength"),
    "maps_area": pgettext("report", "declared area"),
    "maps_legend": pgettext("report", "LQ vs Sweden"),
    "kommun_label": pgettext("report", "Kommun"),
    "series": pgettext("report", "Series"),
    "status": pgettext("report", "Status"),
    "effect": pgettext("report", "Effect"),
    "quadrant": pgettext("report", "Quadrant"),
    "quadrant_high-high": pgettext("report", "high density, high complexity"),
    "quadrant_high-low": pgettext("report", "high density, low complexity"),
    "quadrant_low-high": pgettext("report", "low density, high complexity"),
    "quadrant_low-low": pgettext("report", "low density, low complexity"),
    "top_opportunity": pgettext("report", "top opportunity"),
    "divisions": pgettext("report", "NACE divisions"),
    "actual": pgettext("report", "actual"),
    "baseline": pgettext("report", "baseline"),
    "target": pgettext("report", "target"),
    "ind_fragility": pgettext("report", "Fragility"),
    "ind_fragility_f": pgettext("report", "share of Poisson resamples keeping the LQ ≥ 1 call"),
    "ind_proximity": pgettext("report", "Proximity"),
    "ind_proximity_f": pgettext("report", "C_pq / max(u_p, u_q), diagonal 1"),
    "ind_density": pgettext("report", "Relatedness density"),
    "ind_eci_f": pgettext("report", "2nd eigenvector of M̃_pp; ECI > 0 correlates with diversity; PCI on ECI's scale"),
    "ind_score": pgettext("report", "Opportunity score"),
    "ind_score_f": pgettext("report", "weighted z(−distance), z(PCI), z(COG); presets 60/15/25, 50/15/35, 45/20/35"),
    "ind_quadrants": pgettext("report", "Quadrants"),
    "ind_quadrants_f": pgettext("report", "density × PCI, split at the median density and PCI 0"),
    "ind_similarity": pgettext("report", "Structural similarity"),
    "ind_similarity_f": pgettext("report", "Euclidean distance of z-scored structural variables"),
    "ind_partner": pgettext("report", "Partner score"),
    "ind_partner_f": pgettext("report", "cosine of LQ vectors and complementarity weighted by density"),
    "param_threshold": pgettext("report", "LQ threshold"),
    "param_peers": pgettext("report", "Benchmark regions"),
    "param_opportunity_weights": pgettext("report", "Weights of the opportunity score"),
    "param_stability_draws": pgettext("report", "Resamples for fragility"),
    "param_fragile_band": pgettext("report", "Fragile band"),
    "param_year": pgettext("report", "Year (latest when empty)"),
    "param_compare_with": pgettext("report", "Compared with"),
    "param_datasets": pgettext("report", "Datasets chosen"),
    "param_relatedness": pgettext("report", "Relatedness"),
    "param_draws": pgettext("report", "Resamples"),
    "used_profile": pgettext("report", "profile"),
    "used_specialisations": pgettext("report", "specialisations"),
    "used_relatedness": pgettext("report", "relatedness"),
    "used_outside": pgettext("report", "outside world"),
    "used_map": pgettext("report", "map"),
    "used_priorities": pgettext("report", "declared priorities"),
    "used_maps": pgettext("report", "kommun maps"),
    "boundaries_licence": pgettext("report", "© EuroGeographics for the administrative boundaries"),
    "period_adopted": pgettext("report", "adopted"),
    "period_undated": pgettext("report", "undated"),
    "period_current": pgettext("report", "current page"),
}
LEVELS = {
    "detailed": pgettext("activity level", "detailed group (SNI 5-digit)"),
    "class": pgettext("activity level", "NACE class"),
    "group": pgettext("activity level", "NACE group"),
    "division": pgettext("activity level", "NACE division"),
    "section": pgettext("activity level", "NACE section"),
    "A10": pgettext("activity level", "A10 group"),
}
TIERS = {
    "kommun": pgettext("region tier", "municipality (kommun)"),
    "fa": pgettext("region tier", "labour-market region (FA)"),
    "nuts3": pgettext("region tier", "county (län, NUTS 3)"),
    "nuts2": pgettext("region tier", "NUTS 2"),
    "nuts1": pgettext("region tier", "NUTS 1"),
    "country": pgettext("region tier", "country"),
}

#: Portfolio categories' rules, keyed by category (English; translated with context "portfolio rule").
RULE_CONTEXT = "portfolio rule"

INDICATORS = [
    ("LQ / RCA", "(X_rp / X_r) / (X_p / X)", "Balassa (1965)"),
    ("Fragility", "share of Poisson resamples keeping the LQ ≥ 1 call", "smartspec; O'Donoghue & Gleave (2004)"),
    ("Shift-share", "E0·g + E0·(g_p − g) + (E1 − E0 − E0·g_p)", "Dunn (1960); Esteban-Marquillas (1972)"),
    ("Proximity", "C_pq / max(u_p, u_q), diagonal 1", "Hidalgo et al. (2007)"),
    ("Relatedness density", "Σ_q M_rq φ_qp / Σ_q φ_qp", "Hidalgo et al. (2007)"),
    ("ECI / PCI", "2nd eigenvector of M̃_pp; ECI > 0 correlates with diversity; PCI on ECI's scale",
     "Hidalgo & Hausmann (2009); Hausmann et al. (2014)"),
    ("COI / COG", "Σ ω (1 − M) PCI; (1 − M) Σ (1 − M) φ/Σφ PCI", "Hausmann et al. (2014)"),
    ("Opportunity score", "weighted z(−distance), z(PCI), z(COG); presets 60/15/25, 50/15/35, 45/20/35",
     "Growth Lab, Atlas of Economic Complexity"),
    ("Quadrants", "density × PCI, split at the median density and PCI 0", "Balland et al. (2019)"),
    ("Structural similarity", "Euclidean distance of z-scored structural variables", "Navarro et al. (2014)"),
    ("Partner score", "cosine of LQ vectors and complementarity weighted by density", "smartspec"),
]



@lru_cache(maxsize=4)
def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations into ``lang`` (English: the messages themselves)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("django", localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def translate(context: str, message: str, lang: str) -> str:
    return catalogue(lang).pgettext(context, message)


def t(key: str, lang: str, **values) -> str:
    """The report's message ``key`` in ``lang``, formatted with ``values``."""
    text = translate("report", MESSAGES[key], lang)
    return text.format(**values) if values else text


def level_name(code: str, lang: str) -> str:
    """An activity level in the field's terms (SNI's Swedish level names: huvudgrupp, undergrupp …)."""
    return translate("activity level", LEVELS[code], lang) if code in LEVELS else code


def tier_name(code: str, lang: str) -> str:
    """A regional tier (kommun, FA region, län …)."""
    return translate("region tier", TIERS[code], lang) if code in TIERS else code


def rule_text(rule: str, lang: str) -> str:
    """A portfolio category's rule."""
    return translate(RULE_CONTEXT, rule, lang)
