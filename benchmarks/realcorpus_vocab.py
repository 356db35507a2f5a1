"""Words for benchmarks/realcorpus.py: topics, sentence templates, synonyms, names.

Kept apart from the generator so the generator reads as logic. Everything here is plain
data (lists and dicts in a fixed order: the generator must not depend on set order).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- people

FIRST = ["Maria", "Andrej", "Dana", "Tomás", "Priya", "Kwame", "Yuki", "Omar", "Lena", "Sam", "Grace", "Ada",
         "Tom", "Elena", "Marcus", "Aisha", "Jonas", "Mei", "Rafael", "Ingrid", "Chidi", "Sofia", "Hiro",
         "Nadia", "Peter", "Claire", "Diego", "Fatima", "Lucas", "Hannah", "Ravi", "Zoe", "Ben", "Amara",
         "Felix", "Noor", "Julia", "Kenji", "Olga", "Patrick", "Siobhan", "Theo", "Wen", "Isabel", "Arjun"]
LAST = ["Lopez", "Karpathy", "Whitfield", "Reyes", "Nair", "Mensah", "Tanaka", "Haddad", "Schmidt", "Chen",
        "Hopper", "Byron", "O'Brien", "Petrova", "Okafor", "Lindqvist", "Moreau", "Sato", "Kowalski", "Adeyemi",
        "Fischer", "García", "Nakamura", "Ivanova", "Brennan", "Mukherjee", "Duarte", "Bergström", "Achebe",
        "Rossi", "Novak", "Hartmann", "Quinn", "Varga", "Delacroix", "Osei", "Yamamoto", "Kaplan", "Silva"]

# Someone mentioned in passing ("as Hinton said ...")
MENTIONED = ["Geoff Hinton", "Richard Feynman", "Ada Lovelace", "Rachel Carson", "Adam Smith", "Marie Curie",
             "Alan Turing", "Jane Jacobs", "Carl Sagan", "Elinor Ostrom", "John Maynard Keynes", "Nick Lane",
             "Claude Shannon", "Hannah Arendt", "Barbara McClintock", "Norman Borlaug", "Vannevar Bush"]

# ---------------------------------------------------------------------------- topics
# nouns: singular noun phrases; plural: plural nouns; proper: names of things;
# compounds: (one spelling, another) differing only by a space or hyphen (SPEC §2 Quotes);
# field: "in <field>".

TOPICS: dict[str, dict[str, list]] = {
    "ai": {
        "channels": ["Dwarkesh Patel", "Latent Space", "Machine Learning Street Talk", "The Gradient Podcast"],
        "nouns": ["the model", "the training run", "pre-training", "the benchmark", "reinforcement learning",
                  "the reward model", "the context window", "the agent", "the loss curve", "the tokenizer",
                  "the architecture", "the transformer", "distillation", "the scaling law", "the compute budget",
                  "the inference cost", "the research team", "the GPU cluster", "fine-tuning", "the dataset",
                  "the chatbot", "the optimizer", "the eval suite", "in-context learning", "the base model",
                  "the hidden state", "the learning rate", "the attention layer", "synthetic data",
                  "the cognitive core"],
        "plural": ["models", "agents", "benchmarks", "GPUs", "researchers", "labs", "tokens", "parameters",
                   "datasets", "engineers", "evals", "papers", "weights", "gradients", "startups", "coding agents"],
        "orgs": ["Nvidia", "Anthropic", "Google", "Meta", "Tesla", "Waymo", "Stanford", "Berkeley", "Hugging Face", "Mistral"],
        "proper": ["Nvidia", "Anthropic", "Google", "Meta", "Tesla", "Waymo", "Stanford", "Berkeley",
                   "Hugging Face", "Mistral"],
        "compounds": [["Deep Mind", "DeepMind"], ["GPT-5", "GPT5"], ["Open AI", "OpenAI"], ["Chat GPT", "ChatGPT"],
                      ["H-100", "H100"], ["GPT-4", "GPT4"], ["Alpha Go", "AlphaGo"], ["Image Net", "ImageNet"]],
        "field": ["machine learning", "AI research", "deep learning", "robotics"],
        "tags": ["AI", "LLMs", "AGI", "reinforcement-learning", "scaling", "agents", "compute"],
    },
    "bees": {
        "channels": ["Hive Mind", "Field Notes Podcast", "The Beekeeper's Hour"],
        "nouns": ["the hive", "the queen", "the colony", "the honey flow", "the brood", "the varroa mite",
                  "the apiary", "the nectar", "the pollen", "the swarm", "the wax comb", "the forage",
                  "the winter cluster", "the landscape", "the almond bloom", "the ground nest", "the bee yard",
                  "the smoker", "the frame", "the drone comb", "the spring build-up", "the honey crop"],
        "plural": ["bees", "hives", "colonies", "beekeepers", "flowers", "mites", "queens", "wild species",
                   "growers", "orchards", "frames", "pollinators", "farmers", "hedgerows"],
        "orgs": ["the USDA", "UC Davis", "the co-op", "the extension office", "the state apiary program"],
        "proper": ["the Sierra Nevada", "California", "the Central Valley", "Andalusia", "Kenya", "Oregon"],
        "compounds": [["honey bees", "honeybees"], ["bee keeping", "beekeeping"], ["wild flowers", "wildflowers"],
                      ["bumble bee", "bumblebee"], ["pesticide-free", "pesticide free"], ["hive tool", "hivetool"]],
        "field": ["beekeeping", "ecology", "agriculture", "pollination"],
        "tags": ["bees", "beekeeping", "ecology", "agriculture", "pollinators"],
    },
    "economy": {
        "channels": ["Odd Lots", "The Long Now", "Money Talks", "Capital Allocators"],
        "nouns": ["the interest rate", "the labor market", "inflation", "the central bank", "the housing market",
                  "the supply chain", "the trade deficit", "productivity growth", "the bond market",
                  "the yield curve", "the stock market", "the budget", "the tariff", "the exchange rate",
                  "the recession", "GDP growth", "the balance sheet", "the pension fund", "the credit cycle",
                  "the tax code", "the housing supply", "the minimum wage"],
        "plural": ["economists", "investors", "banks", "workers", "companies", "households", "markets",
                   "central banks", "consumers", "tariffs", "landlords", "wages", "prices", "exporters"],
        "orgs": ["the Fed", "Goldman Sachs", "the ECB", "the IMF", "the Treasury", "BlackRock"],
        "proper": ["the Fed", "Goldman Sachs", "Japan", "Germany", "the ECB", "Wall Street", "China"],
        "compounds": [["post-war", "postwar"], ["e-commerce", "ecommerce"], ["health care", "healthcare"],
                      ["start-up", "startup"], ["Wal-Mart", "Walmart"], ["pay check", "paycheck"]],
        "field": ["economics", "finance", "monetary policy", "trade"],
        "tags": ["economics", "inflation", "markets", "GDP-growth", "policy"],
    },
    "space": {
        "channels": ["Space Hour", "Lex Fridman", "Open Lectures", "Cosmic Frontiers"],
        "nouns": ["the rocket", "the launch pad", "the orbit", "the heat shield", "the telescope", "the lander",
                  "the mission", "the payload", "the booster", "the spacecraft", "the mirror", "the fuel tank",
                  "the re-entry", "the ground station", "the solar panel", "the trajectory", "the engine test",
                  "the space station", "the radiation belt", "the moon base", "the dark matter problem"],
        "plural": ["rockets", "satellites", "astronauts", "engineers", "telescopes", "planets", "missions",
                   "stars", "galaxies", "engines", "launches", "physicists", "contractors"],
        "orgs": ["NASA", "ESA", "JPL", "Caltech", "Lockheed", "the Air Force"],
        "proper": ["NASA", "Mars", "the Moon", "Jupiter", "Cape Canaveral", "Houston", "ESA", "Starship"],
        "compounds": [["Space X", "SpaceX"], ["re-usable", "reusable"],
                      ["exo-planet", "exoplanet"], ["Blue Origin", "BlueOrigin"], ["star ship", "starship"]],
        "field": ["spaceflight", "astronomy", "astrophysics", "planetary science"],
        "tags": ["space", "rockets", "astronomy", "NASA", "physics"],
    },
    "medicine": {
        "channels": ["The Peter Attia Drive", "Huberman Lab", "Health Matters", "Clinical Rounds"],
        "nouns": ["the trial", "the dose", "the immune system", "the vaccine", "the blood test", "the diagnosis",
                  "the placebo", "the patient", "the side effect", "the drug", "the liver", "the gut",
                  "sleep", "the heart rate", "the blood pressure", "the protocol", "the cohort", "the biomarker",
                  "the treatment", "the surgery", "the antibiotic", "metabolic health", "the MRI scan"],
        "plural": ["patients", "doctors", "trials", "drugs", "nurses", "hospitals", "cells", "studies",
                   "genes", "proteins", "researchers", "athletes", "insurers", "clinicians"],
        "orgs": ["the FDA", "Mayo Clinic", "Harvard", "the NIH", "Pfizer", "the WHO", "Johns Hopkins"],
        "proper": ["the FDA", "Mayo Clinic", "Harvard", "the NIH", "Pfizer", "the WHO", "Johns Hopkins"],
        "compounds": [["COVID-19", "COVID 19"], ["health care", "healthcare"], ["follow-up", "followup"],
                      ["X-ray", "Xray"], ["well-being", "wellbeing"], ["check-up", "checkup"]],
        "field": ["medicine", "cardiology", "public health", "oncology"],
        "tags": ["health", "medicine", "longevity", "sleep", "nutrition"],
    },
    "history": {
        "channels": ["The Rest Is History", "Dan Carlin", "History Extra", "Talks at Work"],
        "nouns": ["the empire", "the treaty", "the archive", "the revolution", "the battle", "the dynasty",
                  "the trade route", "the colony", "the printing press", "the parliament", "the siege",
                  "the plague", "the harvest", "the constitution", "the navy", "the census", "the manuscript",
                  "the silk road", "the frontier", "the guild", "the cathedral", "the monastery"],
        "plural": ["historians", "kings", "soldiers", "merchants", "peasants", "monks", "sources", "letters",
                   "empires", "cities", "armies", "sailors", "scribes", "bishops"],
        "orgs": ["the British Museum", "Oxford", "the Vatican archives", "Cambridge", "the Bodleian"],
        "proper": ["Rome", "Venice", "the Ottomans", "Byzantium", "England", "Spain", "the Mongols", "Florence"],
        "compounds": [["well-known", "well known"], ["so-called", "so called"],
                      ["Anglo-Saxon", "Anglo Saxon"], ["sea-faring", "seafaring"], ["world-wide", "worldwide"]],
        "field": ["history", "medieval studies", "archaeology", "economic history"],
        "tags": ["history", "empires", "medieval", "archaeology", "war"],
    },
    "food": {
        "channels": ["Kitchen Table", "Serious Eats Live", "The Food Programme", "Chef's Notes"],
        "nouns": ["the dough", "the sauce", "the oven", "the recipe", "the stock", "the knife", "the menu",
                  "the fermentation", "the crust", "the sourdough starter", "the kitchen", "the butter",
                  "the grill", "the spice blend", "the supplier", "the tasting menu", "the broth", "the pan",
                  "the produce", "the restaurant", "the dish", "the marinade"],
        "plural": ["chefs", "cooks", "restaurants", "diners", "farmers", "tomatoes", "recipes", "ingredients",
                   "kitchens", "critics", "bakers", "suppliers", "line cooks", "customers"],
        "orgs": ["Noma", "El Bulli", "the Culinary Institute", "Chez Panisse", "a hotel kitchen"],
        "proper": ["Paris", "Tokyo", "Naples", "Lyon", "Oaxaca", "New York", "Copenhagen"],
        "compounds": [["sour dough", "sourdough"], ["farm-to-table", "farm to table"], ["dish washer", "dishwasher"],
                      ["olive-oil", "olive oil"], ["cook book", "cookbook"], ["stir-fry", "stir fry"]],
        "field": ["cooking", "restaurants", "baking", "food science"],
        "tags": ["food", "cooking", "restaurants", "baking", "fermentation"],
    },
    "music": {
        "channels": ["Song Exploder", "Rick Beato", "Sound Opinions", "Studio Sessions"],
        "nouns": ["the melody", "the record", "the studio", "the drum part", "the chorus", "the mix",
                  "the guitar", "the album", "the bass line", "the tour", "the label", "the demo",
                  "the string section", "the vocal take", "the lyric", "the bridge", "the synth",
                  "the rehearsal", "the arrangement", "the microphone", "the setlist"],
        "plural": ["musicians", "songs", "records", "producers", "fans", "bands", "labels", "drummers",
                   "singers", "albums", "engineers", "critics", "venues", "listeners"],
        "orgs": ["Motown", "Spotify", "Columbia Records", "Sub Pop", "the BBC"],
        "proper": ["Abbey Road", "Nashville", "Berlin", "Motown", "Spotify", "London", "Detroit"],
        "compounds": [["hip-hop", "hip hop"], ["Pro Tools", "ProTools"], ["head phones", "headphones"],
                      ["sound check", "soundcheck"], ["song writing", "songwriting"], ["play list", "playlist"]],
        "field": ["music", "record production", "songwriting", "the music business"],
        "tags": ["music", "production", "songwriting", "albums", "recording"],
    },
    "cities": {
        "channels": ["Urbanist Talks", "City Lab", "Not Just Bikes", "The Long Now"],
        "nouns": ["the zoning code", "the bus network", "the housing stock", "the bike lane", "the city council",
                  "the parking minimum", "the subway", "the street grid", "the neighborhood", "the rent",
                  "the building permit", "the main street", "the waterfront", "the transit budget",
                  "the highway", "the public square", "the tram line", "the master plan", "the sidewalk"],
        "plural": ["cities", "planners", "residents", "developers", "neighbors", "cars", "buses", "renters",
                   "mayors", "architects", "cyclists", "streets", "suburbs", "landlords"],
        "orgs": ["the city council", "the transit agency", "the planning department", "the housing authority"],
        "proper": ["Amsterdam", "Tokyo", "Houston", "Paris", "Barcelona", "Vienna", "Montreal", "Seoul"],
        "compounds": [["mixed-use", "mixed use"], ["car-free", "car free"], ["side walk", "sidewalk"],
                      ["down town", "downtown"], ["e-bike", "ebike"], ["cul-de-sac", "cul de sac"]],
        "field": ["urban planning", "transport", "housing policy", "architecture"],
        "tags": ["cities", "urbanism", "housing", "transit", "zoning"],
    },
    "energy": {
        "channels": ["Catalyst", "The Energy Gang", "Climate Now", "Volts"],
        "nouns": ["the grid", "the battery", "the solar farm", "the heat pump", "the power plant",
                  "the transmission line", "the carbon price", "the wind turbine", "the electricity market",
                  "the reactor", "the permit", "the utility", "the interconnection queue", "the gas turbine",
                  "the storage project", "the emissions target", "the hydrogen plant", "the peak demand"],
        "plural": ["utilities", "batteries", "engineers", "regulators", "developers", "panels", "turbines",
                   "homeowners", "investors", "reactors", "grid operators", "mines", "electricians"],
        "orgs": ["the IEA", "ERCOT", "the utility commission", "Tesla", "the grid operator"],
        "proper": ["Texas", "Germany", "California", "China", "the IEA", "Denmark", "ERCOT", "Australia"],
        "compounds": [["off-shore", "offshore"], ["e-fuel", "efuel"],
                      ["net-zero", "net zero"], ["photo voltaic", "photovoltaic"], ["Power Wall", "Powerwall"]],
        "field": ["energy", "climate policy", "power systems", "the electricity business"],
        "tags": ["energy", "climate", "grid", "batteries", "solar"],
    },
}

GENERIC_NOUNS = ["the whole thing", "the problem", "the question", "the industry", "the first version",
                 "the real bottleneck", "the main idea", "the hard part", "the next step", "the big picture",
                 "the default", "the status quo", "the culture", "the incentive", "the feedback loop",
                 "the timeline", "the trade-off", "the long tail", "the core of it", "the early days"]
GENERIC_PLURAL = ["people", "young people", "experts", "students", "customers", "skeptics", "critics",
                  "teams", "smart people", "investors", "beginners"]

# adjectives that take "more" and "most"
LONG_ADJECTIVES = ["important", "interesting", "fundamental", "expensive", "different", "beautiful", "fragile",
                   "useful", "surprising", "dangerous", "elegant", "underrated", "powerful", "painful", "obvious"]
ADJECTIVES = ["important", "hard", "simple", "interesting", "fundamental", "huge", "strange", "obvious",
              "crazy", "expensive", "slow", "fast", "new", "old", "different", "big", "small", "weird",
              "beautiful", "terrible", "fragile", "useful", "subtle", "boring", "surprising", "dangerous",
              "cheap", "messy", "elegant", "underrated", "overrated", "quiet", "painful", "powerful"]

# base, third person, past
VERBS = [["build", "builds", "built"], ["break", "breaks", "broke"], ["change", "changes", "changed"],
         ["measure", "measures", "measured"], ["ignore", "ignores", "ignored"], ["fix", "fixes", "fixed"],
         ["learn", "learns", "learned"], ["understand", "understands", "understood"],
         ["underestimate", "underestimates", "underestimated"], ["replace", "replaces", "replaced"],
         ["shape", "shapes", "shaped"], ["drive", "drives", "drove"], ["kill", "kills", "killed"],
         ["explain", "explains", "explained"], ["copy", "copies", "copied"], ["predict", "predicts", "predicted"],
         ["protect", "protects", "protected"], ["waste", "wastes", "wasted"], ["scale", "scales", "scaled"],
         ["hide", "hides", "hid"], ["compress", "compresses", "compressed"], ["feed", "feeds", "fed"],
         ["test", "tests", "tested"], ["move", "moves", "moved"], ["support", "supports", "supported"],
         ["beat", "beats", "beat"], ["shift", "shifts", "shifted"], ["optimize", "optimizes", "optimized"]]

NUMBERS = ["two", "three", "five", "ten", "twenty", "fifty", "a hundred", "a thousand", "forty", "fifteen",
           "seven", "thirty", "a few", "six"]
TIMES = ["in 2014", "last year", "a decade ago", "in the nineties", "back in 2008", "twenty years ago",
         "in the early days", "about five years ago", "during the pandemic", "in 2019", "right after college",
         "in my first job", "around 2011", "when I started"]

# ---------------------------------------------------------------------------- templates
# Slots: {N} {N2} {N3} singular noun phrases, {P} {P2} plurals, {A} {A2} adjectives,
# {V} {V2} base verbs, {VZ} third person, {VD} past, {X} a proper name or compound,
# {NUM} a number word, {TIME} a time phrase, {WHO} a person mentioned, {F} a field.

GUEST_TEMPLATES = [
    "I think {N} is {A} because {P} {V} {N2} all the time.",
    "The way I see it, {N} {VZ} {N2}, and that's {A}.",
    "When I was at {O}, we {VD} {N} {TIME}.",
    "{P} don't really {V} {N}; they {V2} {N2}.",
    "What people miss is that {N} {VZ} {N2} much faster than {N3}.",
    "If you look at {N}, it's {A}, and nobody {VZ} it.",
    "We spent {NUM} years trying to {V} {N}.",
    "There's this {A} idea that {N} {VZ} {N2}.",
    "{WHO} told me once that {N} is the most {AL} thing in {F}.",
    "And honestly, {N} {VD} {N2} {TIME}.",
    "So the question is whether {P} can {V} {N} at all.",
    "It's not that {N} is {A}, it's that {P} {V} it badly.",
    "You have to {V} {N} before you can {V2} {N2}.",
    "Most of the {P} I know {V} {N} every single day.",
    "The numbers were {A}: {NUM} percent of {P} {VD} {N}.",
    "{TIME}, nobody thought {N} would {V} {N2}.",
    "My view is that {N} will {V} {N2} within {NUM} years.",
    "People keep saying {N} is {A}, and I just don't buy it.",
    "That's why {N} {VZ} so much more than {N2}.",
    "We tried {N} and it {VD} {N2} almost immediately.",
    "Here's the thing about {N}: it {VZ} {N2}, not {N3}.",
    "I remember {TIME} when {N} {VD} {N2} for the first time.",
    "The {A} part is that {P} {V} {N} without noticing.",
    "Nobody in {F} wants to admit that {N} is {A}.",
    "It took us {NUM} months to {V} {N}, and we still got it wrong.",
    "If {P} could {V} {N}, everything else would follow.",
    "The mistake we made was to {V} {N} too early.",
    "I was wrong about {N} for a long time.",
    "Every time we {V} {N}, {N2} gets a little more {AL}.",
    "What surprised me most was how {A} {N} turned out to be.",
    "There are {NUM} {P} working on {N} and almost none on {N2}.",
    "In {F}, {N} is the thing that {VZ} everything else.",
    "We don't need more {P}; we need to {V} {N}.",
    "The best {P} I've seen {V} {N} before they touch {N2}.",
    "You can't {V} {N} with {N2}, it just doesn't work that way.",
    "At {O} the rule was simple: {V} {N} first, then talk.",
    "It's a bit like {N}: {A} from the outside, {A2} from the inside.",
    "I'd say {N} is about {NUM} times more {AL} than it looks.",
    "Our first version of {N} {VD} {N2} on day one.",
    "The reason {N} matters is that {P} {V} it without thinking.",
    "Once you {V} {N}, you start to see {N2} everywhere.",
    "That was the moment I realized {N} {VZ} {N2}.",
    "A lot of {P} think {N} is {A}, but it's really {A2}.",
    "So we went back and {VD} {N} from scratch.",
    "The data on {N} is {A}, and it keeps getting more {AL}.",
    "I don't think {O} has figured out {N} yet.",
    "My advice is to {V} {N} and ignore {N2} for a while.",
    "We kept asking why {N} {VZ} {N2}, and nobody had an answer.",
    "You see it with {X} too: {N} {VZ} {N2}.",
    "The honest answer is that {N} is still {A}.",
    "I think {C} is {A}, and {P} know it.",
    "The whole story of {C} is really about {N}.",
    "Everyone talks about {C} like it's {A}, but it {VZ} {N}.",
    "We looked at {C} {TIME} and it {VD} {N}.",
    "If you care about {C}, you have to {V} {N} first.",
]
GUEST_TAILS = [", which is {A}", ", at least in {F}", ", and that's the point", ", right?",
               " in the long run", " over and over again", ", if you ask me", " more than anything",
               ", and {P} know it", " for {NUM} years"]
GUEST_OPENERS = ["So ", "And ", "But ", "Well, ", "Look, ", "Honestly, ", "Basically, ", "Actually, ",
                 "Yeah, so ", "Right, and "]

HOST_TEMPLATES = [
    "What do you think about {N}?",
    "How did you get into {F}?",
    "Why do you think {P} {V} {N}?",
    "Can you say more about {N}?",
    "So where does {N} go from here?",
    "Is {N} actually {A}, or is that hype?",
    "What would you tell {P} who want to {V} {N}?",
    "When did you first notice that {N} {VZ} {N2}?",
    "How much of that is {N} and how much is {N2}?",
    "I want to push back a little on {N}.",
    "That's a {A} point about {N}.",
    "Let's talk about {N}.",
    "You mentioned {X} earlier.",
    "What happened after {N} {VD} {N2}?",
]
BACKCHANNELS = ["Mhm.", "Yeah.", "Right.", "Sure.", "Okay.", "Wow.", "Interesting.", "Exactly.", "Yeah, yeah.",
                "Totally.", "Huh.", "Got it."]
INTRO = ["Welcome back to {C}.", "Today I'm speaking with {G}.", "{G}, thanks for coming on.",
         "Thanks for having me.", "It's great to be here."]
OUTRO = ["That's all we have time for today.", "Thanks so much for doing this.", "Thank you, this was fun."]

# ---------------------------------------------------------------------------- written style
SUMMARY_TEMPLATES = [
    "In this conversation, {G} explains why {N} {VZ} {N2}, and what that means for {P}.",
    "{GL} argues that {N} is more {AL} than most {P} assume.",
    "A recurring theme is {N}: {GL} returns to it several times and ties it to {N2}.",
    "The discussion covers {N}, {N2} and {N3}, with examples from {X}.",
    "{GL} is skeptical of the usual story about {N} and offers a {A} alternative.",
    "Drawing on years in {F}, {GL} describes how {P} {V} {N}.",
    "The most {AL} part is the account of how {N} {VD} {N2} {TIME}.",
    "Near the end, {GL} gives practical advice: {V} {N} before you {V2} {N2}.",
    "{C} host {H} presses on {N}, and {GL} concedes that it is still {A}.",
]
KEYPOINT_TITLES = ["{N_cap} is {A}", "Why {N} matters", "{P_cap} {V} {N}", "The {A} side of {N}",
                   "Lessons from {X}", "{N_cap} vs {N2}", "How {N} {VZ} {N2}", "A {A} view of {F}",
                   "What {P} get wrong", "{NUM_cap} years of {N}"]
KEYPOINT_TEXTS = ["{GL} explains how {N} {VZ} {N2} and why {P} rarely notice",
                  "{N_cap} turns out to be {A}; {GL} gives an example from {X}",
                  "The claim is that {P} {V} {N} long before {N2}",
                  "{GL} describes {TIME} as the turning point for {N}",
                  "Most {P} underestimate {N}; the fix is to {V} {N2} first",
                  "A {A} story about {N} and what it taught {GL}"]
MENTION_GROUPS = ["People", "Companies", "Products & Technologies", "Books", "Places", "Concepts"]
MENTION_TEXTS = ["Referenced in the context of {N}", "{GL} cites it as an example of {N}",
                 "Mentioned as a {A} case of {N}", "Where {GL} first saw {N} up close",
                 "Brought up when discussing {N} and {N2}"]
BOOKS = ["The Structure of Scientific Revolutions", "Seeing Like a State", "The Power Broker", "Thinking, Fast and Slow",
         "The Design of Everyday Things", "Dirt: The Erosion of Civilizations", "The Making of the Atomic Bomb",
         "Salt, Fat, Acid, Heat", "The Death and Life of Great American Cities", "Gödel, Escher, Bach"]
CONCEPTS = ["Goodhart's law", "Jevons paradox", "the bitter lesson", "Chesterton's fence", "the Lindy effect",
            "regression to the mean", "path dependence", "the tragedy of the commons", "Baumol's cost disease"]
SECTIONS_EXTRA = ["Chapters", "Additional Resources", "Verdict"]
NOTE_LINES = ["> Note: the audio drops for a few seconds here.", "> Note: the first minutes are a sponsor read, skipped.",
              "> Note: crosstalk in this part; speakers are approximate.", "> Note: some words were inaudible."]
SPONSOR_LINES = ["*This episode is sponsored by Compost Co.*", "*This episode is brought to you by Linear.*",
                 "*Sponsored segment: Squarespace (skipped).*", "*This part of the video is an ad for a VPN.*"]
CHAPTER_NAMES = ["Early career", "The first big shift", "Why it is hard", "What changed", "Lessons learned",
                 "The business side", "Looking ahead", "Audience questions", "Where it goes wrong",
                 "A detour into history", "Practical advice", "The next decade"]
SLUG_WORDS = ["why", "the", "is", "hard", "future", "of", "simple", "lesson", "mistake", "best", "first",
              "real", "cost", "big", "idea", "secret", "myth", "rule", "slow", "fast"]

# ---------------------------------------------------------------------------- editing quotes
# one word for another (lightly edited, paraphrased quotes)
SYNONYMS = {
    "important": "crucial", "hard": "difficult", "simple": "easy", "interesting": "fascinating",
    "fundamental": "basic", "huge": "enormous", "strange": "odd", "obvious": "clear", "crazy": "insane",
    "expensive": "costly", "slow": "sluggish", "fast": "quick", "new": "novel", "old": "ancient",
    "different": "distinct", "big": "large", "small": "tiny", "weird": "bizarre", "beautiful": "lovely",
    "terrible": "awful", "fragile": "brittle", "useful": "helpful", "subtle": "quiet", "boring": "dull",
    "surprising": "unexpected", "dangerous": "risky", "cheap": "inexpensive", "messy": "chaotic",
    "elegant": "graceful", "underrated": "overlooked", "overrated": "overhyped", "painful": "brutal",
    "powerful": "strong", "think": "believe", "really": "truly", "people": "folks", "thing": "idea",
    "first": "earliest", "years": "decades", "months": "weeks", "wrong": "mistaken", "everything": "all",
    "nobody": "no one", "always": "constantly", "never": "rarely", "much": "far", "started": "began",
    "start": "begin", "said": "told", "told": "said", "tried": "attempted", "spent": "wasted",
    "build": "create", "built": "created", "change": "alter", "changed": "altered", "learn": "study",
    "learned": "studied", "understand": "grasp", "replace": "swap", "fix": "repair", "fixed": "repaired",
    "explain": "describe", "moment": "instant", "reason": "cause", "answer": "response", "mistake": "error",
    "advice": "tip", "honestly": "frankly", "version": "release", "rule": "principle", "data": "evidence",
}
ADDABLE = ["really", "actually", "just", "very", "completely", "simply", "clearly"]

INVENTED_TEMPLATES = [
    "Nobody will remember {N} in {NUM} years.",
    "The future belongs to {P} who {V} {N}.",
    "{N_cap} is the most {AL} idea of our time.",
    "We are only at the beginning of {N}.",
    "I would bet everything on {N}.",
    "{P_cap} who ignore {N} will regret it.",
    "In the end, {N} always wins.",
    "That is the whole secret of {F}.",
]
