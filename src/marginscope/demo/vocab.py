"""Fixed reference data of the demo company: places, industries, products, names.

Everything here is a constant. The generator only draws *indices* into these lists,
so the random stream never depends on Python's dict or set ordering. Tuples keep
the order explicit and the data immutable.
"""

from __future__ import annotations

from dataclasses import dataclass

from marginscope import schema

# ---------------------------------------------------------------------------
# Geography: five sales regions of a European distributor.
# ---------------------------------------------------------------------------

REGIONS: tuple[str, ...] = ("North", "South", "East", "West", "Central")
REGION_WEIGHTS: tuple[float, ...] = (0.16, 0.18, 0.15, 0.23, 0.28)
REGIONAL_OFFICES: tuple[str, ...] = ("Stockholm", "Milan", "Warsaw", "Paris", "Frankfurt")


@dataclass(frozen=True)
class Country:
    """A country of a region, its cities and the usual legal-form suffix of its companies."""

    name: str
    region: str
    cities: tuple[str, ...]
    legal_forms: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country("Sweden", "North", ("Stockholm", "Gothenburg", "Malmö", "Uppsala"), ("AB",)),
    Country("Norway", "North", ("Oslo", "Bergen", "Trondheim"), ("AS",)),
    Country("Denmark", "North", ("Copenhagen", "Aarhus", "Odense"), ("A/S", "ApS")),
    Country("Finland", "North", ("Helsinki", "Tampere", "Turku"), ("Oy",)),
    Country("Italy", "South", ("Milan", "Turin", "Bologna", "Rome", "Verona"), ("S.p.A.", "S.r.l.")),
    Country("Spain", "South", ("Madrid", "Barcelona", "Valencia", "Bilbao"), ("S.L.", "S.A.")),
    Country("Portugal", "South", ("Lisbon", "Porto", "Braga"), ("Lda.", "S.A.")),
    Country("Poland", "East", ("Warsaw", "Kraków", "Wrocław", "Poznań", "Gdańsk"), ("Sp. z o.o.", "S.A.")),
    Country("Czechia", "East", ("Prague", "Brno", "Ostrava"), ("s.r.o.", "a.s.")),
    Country("Hungary", "East", ("Budapest", "Debrecen", "Győr"), ("Kft.", "Zrt.")),
    Country("Slovakia", "East", ("Bratislava", "Košice"), ("s.r.o.",)),
    Country("France", "West", ("Paris", "Lyon", "Lille", "Toulouse", "Nantes"), ("SAS", "SA", "SARL")),
    Country("Belgium", "West", ("Brussels", "Antwerp", "Ghent", "Liège"), ("NV", "SA", "BV")),
    Country("Netherlands", "West", ("Amsterdam", "Rotterdam", "Eindhoven", "Utrecht"), ("B.V.", "N.V.")),
    Country("Germany", "Central", ("Munich", "Stuttgart", "Frankfurt", "Hamburg", "Cologne", "Leipzig"),
            ("GmbH", "AG", "GmbH & Co. KG")),
    Country("Austria", "Central", ("Vienna", "Graz", "Linz", "Salzburg"), ("GmbH", "AG")),
    Country("Switzerland", "Central", ("Zurich", "Basel", "Bern"), ("AG", "GmbH")),
)

# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------

TIERS: tuple[str, ...] = ("Platinum", "Gold", "Silver", "Bronze")
TIER_SHARES: tuple[float, ...] = (0.05, 0.15, 0.30, 0.50)

INDUSTRIES: tuple[str, ...] = (
    "Manufacturing", "Construction", "Automotive", "Food & Beverage",
    "Healthcare", "Energy & Utilities", "Logistics", "Retail & Wholesale",
)
INDUSTRY_WEIGHTS: tuple[float, ...] = (0.24, 0.16, 0.12, 0.11, 0.08, 0.09, 0.10, 0.10)

CUSTOMER_TYPES: tuple[str, ...] = ("distributor", "reseller", "end customer")
# Larger tiers are more often distributors: rows follow TIERS.
CUSTOMER_TYPE_BY_TIER: tuple[tuple[float, float, float], ...] = (
    (0.45, 0.30, 0.25),
    (0.25, 0.30, 0.45),
    (0.12, 0.28, 0.60),
    (0.05, 0.20, 0.75),
)

ACQUISITION_CHANNELS: tuple[str, ...] = ("Trade Show", "Referral", "Web Inbound", "Outbound", "Partner")
ACQUISITION_CHANNEL_WEIGHTS: tuple[float, ...] = (0.22, 0.18, 0.25, 0.20, 0.15)
# Typical cost (EUR) of winning one customer through the channel.
ACQUISITION_COST_EUR: tuple[float, ...] = (2600.0, 700.0, 450.0, 1900.0, 1200.0)

COMPANY_BRANDS: tuple[str, ...] = (
    "Alder", "Apex", "Arcus", "Aurora", "Baltic", "Beacon", "Birch", "Boreal", "Cascade", "Cedar",
    "Cobalt", "Condor", "Corvid", "Crest", "Delta", "Dune", "Ember", "Falcon", "Fjord", "Flint",
    "Forge", "Gable", "Granite", "Harbor", "Helix", "Heron", "Horizon", "Iron", "Juniper", "Keystone",
    "Kestrel", "Lumen", "Lynx", "Maple", "Meridian", "Nordic", "Northstar", "Oak", "Onyx", "Orbit",
    "Orion", "Osprey", "Pioneer", "Polar", "Quarry", "Quartz", "Raven", "Ridge", "Rhine", "Sable",
    "Saga", "Sierra", "Silver", "Slate", "Spruce", "Summit", "Talon", "Terra", "Tundra", "Vale",
    "Vanguard", "Vector", "Viking", "Willow", "Zenith", "Zephyr",
)
COMPANY_WORDS: tuple[str, ...] = (
    "Industries", "Systems", "Engineering", "Technik", "Logistics", "Foods", "Construction",
    "Automation", "Energy", "Components", "Supply", "Manufacturing", "Werke", "Solutions",
    "Trading", "Machinery", "Medical", "Motors", "Plastics", "Metals", "Fluid Power",
    "Building Services", "Packaging", "Robotics", "Hydraulics", "Facilities", "Mobility",
    "Agro", "Process Tech", "Distribution",
)

# ---------------------------------------------------------------------------
# People (reps and their managers)
# ---------------------------------------------------------------------------

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Lars", "Sofia", "Marco", "Elena", "Jan", "Katarzyna", "Pierre", "Claire", "Thomas",
    "Julia", "Mateo", "Lucia", "Erik", "Ingrid", "Tomasz", "Petra", "Luca", "Chiara", "Hans",
    "Greta", "Oliver", "Emma", "Noah", "Mia", "Jonas", "Lea", "David", "Sara", "Felix",
    "Nina", "Paul", "Laura", "Simon", "Eva", "Martin", "Ida", "Pablo", "Marta", "Viktor",
)
LAST_NAMES: tuple[str, ...] = (
    "Andersson", "Rossi", "Nowak", "Dubois", "Müller", "Schmidt", "Jansen", "Peeters", "Novák",
    "García", "Fernández", "Silva", "Larsen", "Nielsen", "Virtanen", "Kovács", "Horváth", "Bianchi",
    "Moreau", "Laurent", "Weber", "Wagner", "Becker", "Hofmann", "de Vries", "Bakker", "Kowalski",
    "Wiśniewski", "Lindqvist", "Berg", "Hansen", "Johansson", "Romano", "Costa", "Santos", "Lopez",
    "Martin", "Bernard", "Fischer", "Koch", "Huber", "Steiner", "Keller", "Meier", "Vogel", "Brandt",
    "Lehmann", "Richter", "Svoboda", "Dvořák",
)

# ---------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A product category and the economics shared by its products.

    ``margin`` is the typical gross margin at list price; ``price_range`` bounds the
    list prices (EUR).
    """

    name: str
    subcategories: tuple[str, ...]
    products: int
    margin: float
    price_range: tuple[float, float]


CATEGORIES: tuple[Category, ...] = (
    Category("Machines", ("Compressor", "Pump", "Generator"), 10, 0.27, (2400.0, 28000.0)),
    Category("Tools", ("Power Tool", "Hand Tool", "Measuring Device"), 14, 0.39, (40.0, 1200.0)),
    Category("Spare Parts", ("Bearing", "Filter", "Seal Kit", "Valve"), 16, 0.45, (15.0, 600.0)),
    Category("Consumables", ("Lubricant", "Abrasive", "Fastener Set"), 12, 0.33, (4.0, 90.0)),
    Category("Services", ("Maintenance Plan", "Installation", "Training"), 8, 0.55, (150.0, 3000.0)),
)
SERIES: tuple[str, ...] = ("ProLine", "EcoLine", "Titan", "Nova", "Vector")

# ---------------------------------------------------------------------------
# Marketing and CRM
# ---------------------------------------------------------------------------

CAMPAIGN_CHANNELS: tuple[str, ...] = ("Email", "Webinar", "Trade Show", "Paid Search", "Direct Mail")
CAMPAIGN_THEMES: tuple[str, ...] = (
    "Spring Service Days", "Summer Stock-Up", "Back to Business", "Autumn Upgrade",
    "Year-End Push", "Efficiency Week", "Machine Trade-In", "Loyalty Bonus",
)

INTERACTION_TYPES: tuple[str, ...] = schema.INTERACTION_TYPES  # call, email, meeting, other
INTERACTION_WEIGHTS: tuple[float, ...] = (0.30, 0.45, 0.18, 0.07)

NPS_COMMENTS_PROMOTER: tuple[str, ...] = (
    "Reliable partner, quick delivery.",
    "Great service from our account manager.",
    "Good prices and products that last.",
    "Always responsive, would recommend.",
)
NPS_COMMENTS_PASSIVE: tuple[str, ...] = (
    "OK overall, prices could be better.",
    "Products are fine, ordering portal is clunky.",
    "Decent, but support takes time to answer.",
)
NPS_COMMENTS_DETRACTOR: tuple[str, ...] = (
    "Too many defective items, returns take ages.",
    "Deliveries keep arriving late.",
    "Hard to reach anyone when there is a problem.",
    "Invoices and credit notes are often wrong.",
)
