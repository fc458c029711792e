"""smartspec.metrics: pure, vectorised smart-specialisation indicators.

Every function takes a regions × activities matrix (pandas DataFrame, numpy array
or scipy.sparse matrix; most also a years × regions × activities panel) and
returns the same kind, keeping the labels. Each docstring gives the formula,
the conventions and the reference. See ``docs/methods.md``.
"""

from smartspec.metrics.change import (
                                          dynamic_shift_share,
                                          entries_exits,
                                          growth,
                                          shift_share,
)
from smartspec.metrics.clusters import (
                                          cluster_stars,
                                          cluster_strength,
                                          strength_categories,
)
from smartspec.metrics.complexity import (
                                          ComplexityWarning,
                                          complexity_outlook,
                                          components,
                                          diversity_ubiquity,
                                          eci_pci,
                                          fitness_complexity,
                                          genepy,
                                          method_of_reflections,
                                          subnational_eci,
)
from smartspec.metrics.complexity_diagnostics import complexity_diagnostics
from smartspec.metrics.diversification import (
                                          PRESETS,
                                          opportunity_quadrants,
                                          opportunity_scores,
)
from smartspec.metrics.relatedness import (
                                          align_relatedness,
                                          association_strength,
                                          co_occurrence,
                                          cosine,
                                          distance,
                                          jaccard,
                                          normalise_cooccurrence,
                                          probability_relatedness,
                                          proximity,
                                          relatedness,
                                          relatedness_density,
                                          skill_relatedness,
)
from smartspec.metrics.robustness import lq_interval, specialisation_stability
from smartspec.metrics.similarity import partner_scores, structural_similarity
from smartspec.metrics.specialisation import (
                                          gini,
                                          herfindahl,
                                          hoover_index,
                                          krugman_index,
                                          location_quotient,
                                          locational_gini,
                                          rca,
                                          rpop,
                                          shannon_entropy,
                                          variety,
)
from smartspec.metrics.suite import complexity_suite, iter_complexity_suite
from smartspec.metrics.suppression import area_consistency, estimate_suppressed

__all__ = [
    "location_quotient", "rca", "rpop", "hoover_index", "krugman_index", "herfindahl", "shannon_entropy", "gini",
    "locational_gini", "variety",
    "growth", "shift_share", "dynamic_shift_share", "entries_exits",
    "co_occurrence", "proximity", "cosine", "association_strength", "jaccard", "probability_relatedness",
    "normalise_cooccurrence", "relatedness", "skill_relatedness", "relatedness_density", "distance",
    "align_relatedness",
    "eci_pci", "method_of_reflections", "fitness_complexity", "complexity_outlook", "subnational_eci",
    "diversity_ubiquity",
    "opportunity_scores", "opportunity_quadrants", "strength_categories", "cluster_strength", "cluster_stars",
    "PRESETS", "structural_similarity", "partner_scores", "specialisation_stability", "complexity_suite", "iter_complexity_suite",
    "genepy", "components", "ComplexityWarning", "complexity_diagnostics", "lq_interval", "estimate_suppressed",
    "area_consistency",
]
