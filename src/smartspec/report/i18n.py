"""Report texts in English and Swedish."""

#: Activity levels and regional tiers in the field's own terms (SNI 2007's Swedish level names).
LEVELS = {"detailed": ("detailed group (SNI 5-digit)", "detaljgrupp"), "class": ("NACE class", "undergrupp"),
          "group": ("NACE group", "grupp"), "division": ("NACE division", "huvudgrupp"),
          "section": ("NACE section", "avdelning"), "A10": ("A10 group", "A10-grupp")}
TIERS = {"kommun": ("municipality (kommun)", "kommun"), "fa": ("labour-market region (FA)", "FA-region"),
         "nuts3": ("county (län, NUTS 3)", "län (NUTS 3)"), "nuts2": ("NUTS 2", "NUTS 2"),
         "nuts1": ("NUTS 1", "NUTS 1"), "country": ("country", "land")}

TEXT = {
    "title": ("Smart specialisation analysis", "Analys för smart specialisering"),
    "generated": ("Generated", "Skapad"),
    "contents": ("Contents", "Innehåll"),
    "profile": ("1. Profile", "1. Profil"),
    "specialisations": ("2. Specialisations", "2. Specialiseringar"),
    "portfolio": ("3. Strength portfolio", "3. Styrkeportfölj"),
    "relatedness": ("4. Relatedness and opportunities", "4. Släktskap och möjligheter"),
    "outside": ("5. The outside world", "5. Omvärlden"),
    "priorities": ("6. Declared priorities against the evidence", "6. Uttalade prioriteringar mot underlaget"),
    "methods": ("7. Methods and sources", "7. Metoder och källor"),
    "profile_intro": ("Employment by activity in {region}, compared with {country} and the {n} reference regions.",
                      "Sysselsättning per näringsgren i {region}, jämfört med {country} och de {n} jämförelseregionerna."),
    "data_intro": ("Data: {dataset} ({measure}), {year}, by {tier} and {level}; {n} {tier} regions form the reference set. "
                   "{total}",
                   "Data: {dataset} ({measure}), {year}, per {tier} och {level}; {n} regioner på samma nivå är "
                   "jämförelsegrupp. {total}"),
    "total_TOTAL": ("The region's total is the publisher's own total{hidden}.",
                    "Regionens total är utgivarens egen total{hidden}."),
    "total_sections": ("The region's total is the sum of the publisher's sections{hidden}.",
                       "Regionens total är summan av utgivarens avdelningar{hidden}."),
    "total_parts": ("The publisher gives no total for the region: its total is the sum of the known cells "
                    "({n} suppressed cells are left out, so shares are somewhat overstated).",
                    "Utgivaren anger ingen total för regionen: totalen är summan av de kända cellerna "
                    "({n} sekretessbelagda celler saknas, så andelarna blir något för höga)."),
    "hidden": ("; suppressed or rounded cells hide {share} of it", "; sekretessbelagda eller avrundade celler döljer {share} av den"),
    "series_intro": ("Change: {dataset}, {y0}–{y1}, by {level}.", "Förändring: {dataset}, {y0}–{y1}, per {level}."),
    "share_reference": ("Share, reference regions", "Andel, jämförelseregioner"),
    "more_rows": ("{n} more rows are in the JSON and Excel outputs.", "Ytterligare {n} rader finns i JSON- och Excel-utdata."),
    "data_parent_region": ("The data for {region} itself are too coarse for relatedness: sections 2, 4 and 5 use {parent}, "
                           "the region that contains it.",
                           "Data för {region} är för grova för släktskap: avsnitt 2, 4 och 5 använder {parent}, den region "
                           "som {region} ligger i."),
    "data_reference": ("The region's own data are compared with {n} regions of {dataset} ({level}).",
                       "Regionens egna data jämförs med {n} regioner i {dataset} ({level})."),
    "profile_recoded": ("GDP per head: {region} is published as {code} in {dataset}.",
                        "BNP per invånare: {region} publiceras som {code} i {dataset}."),
    "profile_no_gdp": ("No GDP per head is published for {region} in {dataset}.",
                       "BNP per invånare publiceras inte för {region} i {dataset}."),
    "gdp_SE": ("Sweden", "Sverige"), "gdp_NUTS2_MEDIAN": ("NUTS 2 median", "NUTS 2-median"),
    "structure_source": ("Source: {dataset}, {year}, level: {level}.", "Källa: {dataset}, {year}, nivå: {level}."),
    "gdp_intro": ("GDP per head (EUR), {region} and {comparison}.", "BNP per invånare (EUR), {region} och {comparison}."),
    "spec_intro": ("Location quotients (LQ) of every {level} with employment in {region}, against all {n} "
                   "{tier} regions of {dataset} ({year}). LQ ≥ 1 means the activity's share of the region's employment is at "
                   "least its share in the reference regions. P(LQ ≥ 1) is the share of {draws} Poisson resamples of the counts in which "
                   "LQ ≥ 1; fragile: the call holds in fewer than 90 % of them.",
                   "Lokaliseringskvoter (LQ) för varje {level} med sysselsättning i {region}, mot alla {n} "
                   "regioner ({tier}) i {dataset} ({year}). LQ ≥ 1 betyder att näringsgrenens andel av regionens "
                   "sysselsättning är minst lika stor som i jämförelseregionerna. P(LQ ≥ 1) är andelen av {draws} Poisson-omdragningar "
                   "av antalen där LQ ≥ 1; osäker: bedömningen håller i färre än 90 % av dem."),
    "change_intro": ("Employment by {level} in {region}, {y0}–{y1}, against {reference}: growth, LQ and shift-share "
                  "(national share + industry mix + competitive effect = change).",
                  "Sysselsättning per {level} i {region}, {y0}–{y1}, mot {reference}: tillväxt, LQ och shift-share "
                  "(nationell andel + branschstruktur + konkurrenseffekt = förändring)."),
    "portfolio_intro": ("Each {level} by its LQ ({y1}) and employment growth {y0}–{y1}; bubble size = employment. "
                        "Categories and their rules:",
                        "Varje {level} efter LQ ({y1}) och sysselsättningstillväxt {y0}–{y1}; bubblans storlek = "
                        "sysselsättning. Kategorier och regler:"),
    "rel_intro": ("The industry space links activities ({level}) that tend to be specialisations of the same regions "
                  "(proximity, Hidalgo et al. 2007); {region}'s specialisations are highlighted. Relatedness density "
                  "says how much of an activity's related activity the region already has; complexity (PCI) how few "
                  "and how diverse the regions are that have it. ECI of {region}: {eci:.2f} (rank {rank} of {n} "
                  "regions, {rank_c} of {n_c} in the country).",
                  "Näringsrummet länkar näringsgrenar ({level}) som ofta är specialiseringar i samma regioner "
                  "(närhet, Hidalgo m.fl. 2007); {region}s specialiseringar är markerade. Släktskapstäthet anger hur "
                  "mycket av en näringsgrens närliggande verksamhet regionen redan har; komplexitet (PCI) hur få och hur "
                  "diversifierade regionerna som har den är. ECI för {region}: {eci:.2f} (plats {rank} av {n} "
                  "regioner, {rank_c} av {n_c} i landet)."),
    "opp_intro": ("Top diversification opportunities (activities not yet specialised), scored {weights} on distance, "
                  "complexity and outlook gain; the reasons are the region's specialisations most related to each.",
                  "De främsta diversifieringsmöjligheterna (näringsgrenar utan specialisering), viktade {weights} på "
                  "avstånd, komplexitet och utsiktsvinst; skälen är regionens närmast besläktade specialiseringar."),
    "parent_note": ("Division-level data exist at NUTS 2 only: sections 2, 4 and 5 use {parent}, the NUTS 2 region "
                    "that contains {region}.",
                    "Data per avdelning finns bara på NUTS 2-nivå: avsnitt 2, 4 och 5 använder {parent}, den NUTS 2-"
                    "region som {region} ligger i."),
    "no_series": ("No employment series covers this region: growth, shift-share and the strength portfolio need years, "
                  "and the SBS table has a single year. Import a series (smartspec data import) to add them.",
                  "Ingen sysselsättningsserie täcker regionen: tillväxt, shift-share och styrkeportföljen kräver flera "
                  "år, och SBS-tabellen har ett enda år. Importera en serie (smartspec data import) för att lägga till dem."),
    "external_lacks_note": ("The external relatedness has no flows for the divisions {activities}; they count as "
                            "related to nothing but themselves.",
                            "Den externa släktskapen saknar flöden för avdelningarna {activities}; de räknas som "
                            "besläktade bara med sig själva."),
    "rel_source_flows": ("skill-relatedness from {moves} job moves between industries ({file})",
                         "kompetenssläktskap från {moves} jobbyten mellan branscher ({file})"),
    "rel_source_matrix": ("the relatedness matrix {file}", "släktskapsmatrisen {file}"),
    "rel_external": ("Relatedness density, distance, outlook gain and partner scores use {source} (negative values "
                     "count as unrelated); the industry space above still shows co-occurrence proximity.",
                     "Släktskapstäthet, avstånd, utvecklingsvinst och partnerpoäng bygger på {source} (negativa värden "
                     "räknas som obesläktade); näringslivsrymden ovan visar fortfarande samlokaliseringsnärhet."),
    "no_divisions": ("No data at division level or finer cover this region; broad groups are too coarse for relatedness and "
                     "complexity, so this section is left out rather than shown misleadingly.",
                     "Inga data per huvudgrupp eller finare täcker regionen; breda grupper är för grova för släktskap och komplexitet, "
                     "så avsnittet utelämnas hellre än att visas missvisande."),
    "peers_intro": ("Structurally similar regions ({pool}): z-scored structural variables ({variables}), Euclidean "
                    "distance (Navarro et al. 2014). Performance variables are not used.",
                    "Strukturellt lika regioner ({pool}): z-standardiserade strukturvariabler ({variables}), euklidiskt "
                    "avstånd (Navarro m.fl. 2014). Resultatvariabler används inte."),
    "partners_intro": ("Potential partner regions: similarity of specialisation profiles (cosine of LQ vectors) and "
                       "complementarity (the partner's specialisations that {region} lacks but is related to).",
                       "Möjliga partnerregioner: likhet i specialiseringsprofil (cosinus av LQ-vektorer) och "
                       "komplementaritet (partnerns specialiseringar som {region} saknar men är besläktad med)."),
    "priorities_intro": ("The S3 areas {region} declares (current strategy), beside the evidence. The NACE divisions are "
                         "a keyword-based suggestion, not stated by the region: set your own in the platform.",
                         "De S3-områden som {region} har uttalat (nuvarande strategi), bredvid underlaget. NACE-"
                         "avdelningarna är ett förslag utifrån nyckelord, inte angivna av regionen: ange egna i plattformen."),
    "similar_intro": ("Regions declaring similar areas (matched on Swedish and English names):",
                      "Regioner med liknande uttalade områden (matchade på svenska och engelska namn):"),
    "not_swedish": ("Declared priorities are available for Swedish regions (the mirror's s3_priority_areas.csv).",
                    "Uttalade prioriteringar finns för svenska regioner (spegelns s3_priority_areas.csv)."),
    "suppressed_note": ("{n} cells of the reference table are suppressed (confidential or not available). They "
                        "stay missing in LQs and shares; the co-occurrence network counts them as 'not specialised'.",
                        "{n} celler i jämförelsetabellen är sekretessbelagda eller saknas. De förblir "
                        "saknade i LQ och andelar; samförekomstnätet räknar dem som 'ej specialiserad'."),
    # table headers
    "activity": ("Activity", "Näringsgren"), "employment": ("Employment", "Sysselsatta"), "lq": ("LQ", "LQ"),
    "lq_country": ("LQ vs country", "LQ mot landet"), "stability": ("P(LQ ≥ 1)", "P(LQ ≥ 1)"),
    "fragile": ("fragile", "osäker"), "suppressed": ("suppressed", "sekretess"), "growth": ("Growth", "Tillväxt"),
    "growth_country": ("Growth, country", "Tillväxt, landet"), "national_share": ("National share", "Nationell andel"),
    "industry_mix": ("Industry mix", "Branschstruktur"), "competitive": ("Competitive", "Konkurrenseffekt"),
    "category": ("Category", "Kategori"), "score": ("Score", "Poäng"), "density": ("Density", "Täthet"),
    "pci": ("Complexity (PCI)", "Komplexitet (PCI)"), "cog": ("Outlook gain", "Utsiktsvinst"),
    "reasons": ("Builds on", "Bygger på"), "region": ("Region", "Region"), "distance": ("Distance", "Avstånd"),
    "rank": ("Rank", "Plats"), "similarity": ("Similarity", "Likhet"), "complementarity": ("Complementarity", "Komplementaritet"),
    "shared": ("Shared specialisations", "Gemensamma specialiseringar"),
    "complementary": ("Complementary", "Kompletterande"), "area": ("Area", "Område"),
    "nace": ("NACE (suggested)", "NACE (förslag)"), "verdict": ("Evidence", "Underlag"), "source": ("Source", "Källa"),
    "share": ("Share", "Andel"), "share_country": ("Share, country", "Andel, landet"), 
    "dataset": ("Dataset", "Dataset"), "licence": ("Licence", "Licens"), "retrieved": ("Retrieved", "Hämtad"),
    "used_for": ("Used for", "Används till"), "parameters": ("Parameters", "Parametrar"),
    "indicators": ("Indicators", "Indikatorer"), "chosen": ("chosen", "vald"),
    "established": ("established strength", "etablerad styrka"), "declining": ("declining specialisation", "vikande specialisering"),
    "emerging": ("emerging", "framväxande"), "potential": ("potential", "potential"), "other": ("other", "övrigt"),
    "break": ("series break", "seriebrott"),
    "strength": ("supported: a strength", "stöds: en styrka"), "partial": ("partly supported", "delvis stöd"),
    "weak": ("weak evidence", "svagt underlag"), "no_nace": ("no NACE match", "ingen NACE-koppling"),
    "no_data": ("no data", "inga data"),
    "unknown": ("unknown: suppressed in the statistics", "okänt: sekretess i statistiken"), "yes": ("yes", "ja"), "no": ("no", "nej"),
    "period": ("Period", "Period"), "year": ("Year", "År"), "home": ("home region", "hemregion"),
    "peer": ("benchmark region", "jämförelseregion"),
    # kommun maps (section 6)
    "maps_title": ("Strengths and declared areas across the kommuner",
                   "Styrkor och uttalade områden i kommunerna"),
    "maps_intro": ("The region's strengths (its {n} largest specialisations) and its declared areas across {area}: "
                   "each map colours the kommuner by the activity's location quotient against Sweden (LQ, the "
                   "activity's share of the kommun's employment against its share in all Swedish kommuner; orange "
                   "above 1, blue below, grey where unknown). Data: {dataset}, {year}, {level}. Hover for "
                   "employment and LQ; the numbers are in the JSON and Excel outputs.",
                   "Regionens styrkor (dess {n} största specialiseringar) och uttalade områden i {area}: "
                   "varje karta färgar kommunerna efter näringsgrenens lokaliseringskvot mot Sverige (LQ, "
                   "näringsgrenens andel av kommunens sysselsättning mot dess andel i alla Sveriges kommuner; "
                   "orange över 1, blått under, grått där den är okänd). Data: {dataset}, {year}, {level}. Håll "
                   "muspekaren över en kommun för sysselsättning och LQ; siffrorna finns i JSON- och Excel-utdata."),
    "maps_no_kommun_data": ("No dataset with kommun rows covers the region, so the strengths and declared areas "
                            "are not mapped by kommun. Import kommun data (e.g. smartspec microdata aggregate, then "
                            "smartspec data import) to add the maps.",
                            "Inget dataset med kommunrader täcker regionen, så styrkor och uttalade områden visas "
                            "inte per kommun. Importera kommundata (t.ex. smartspec microdata aggregate och sedan "
                            "smartspec data import) för att få kartorna."),
    "maps_lan_of": ("the county (län) of {region}", "länet som {region} ligger i"),
    "maps_strength": ("strength", "styrka"), "maps_area": ("declared area", "uttalat område"),
    "maps_legend": ("LQ vs Sweden", "LQ mot Sverige"), "kommun_label": ("Kommun", "Kommun"),
}

RULES_SV = {
    "established": "LQ ≥ 1 och LQ stigande eller oförändrad under perioden",
    "declining": "LQ ≥ 1 och LQ sjunkande",
    "emerging": "LQ < 1 och LQ stigande",
    "potential": "LQ < 1, ej stigande, och sysselsättningen växer snabbare än i landet",
    "other": "LQ < 1, ej stigande, växer inte snabbare än landet",
    "break": "serien bryts (ett språng över ×3 eller under ÷3 på ett år): klassas inte",
}

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


def t(key: str, lang: str, **values) -> str:
    text = TEXT[key][lang == "sv"]
    return text.format(**values) if values else text
