"""Word pools for the benchmark corpus: people, topics and phrases that read like news explainers."""

from __future__ import annotations

AUTHORS = (
    "Lena Moreau", "Omar Farouk", "Priya Raman", "Tomas Novak", "Ines Carvalho", "Kwame Mensah",
    "Hannah Becker", "Daniel Okafor", "Sofia Lindqvist", "Mateo Alvarez", "Yuki Tanaka", "Amira Haddad",
    "Jonas Weber", "Grace Mwangi", "Lucas Fontaine", "Nadia Petrova", "Samuel Reed", "Aisha Bello",
    "Erik Johansson", "Maria Rossi", "Chen Wei", "Fatima Zahra", "Oliver Grant", "Elena Popescu",
    "Rafael Costa", "Zainab Yusuf", "Marek Kowalski", "Clara Dubois", "Ahmed Saleh", "Noor Rahman",
)

TOPICS = (
    "Syria", "Diplomacy", "Russia", "Ukraine", "China", "India", "Brazil", "Nigeria", "Iran", "Turkey",
    "European Union", "United Nations", "Middle East", "Central Asia", "Latin America", "Africa",
    "Elections", "Parliament", "Courts", "Human Rights", "Migration", "Refugees", "Economy", "Inflation",
    "Trade", "Energy", "Oil and Gas", "Climate", "Weather", "Agriculture", "Food Security", "Water",
    "Public Health", "Vaccines", "Science", "Space", "Technology", "Artificial Intelligence", "Cybersecurity",
    "Privacy", "Education", "Housing", "Transport", "Labour", "Religion", "Culture", "Sport", "Media",
    "Defence", "Nuclear Policy",
)

SUBJECTS = (
    "the government", "the central bank", "opposition parties", "the ministry", "regional leaders",
    "the committee", "negotiators", "the regulator", "local officials", "aid agencies", "the court",
    "researchers", "economists", "the prime minister", "the president", "lawmakers", "the council",
    "the coalition", "trade unions", "the company", "voters", "analysts", "the agency", "neighbouring states",
    "the commission", "campaigners", "diplomats", "the army", "health officials", "city authorities",
)

VERBS = (
    "proposed", "announced", "rejected", "reviewed", "agreed to", "postponed", "approved", "criticised",
    "published", "signalled support for", "warned against", "questioned", "delayed", "outlined", "defended",
    "weighed", "challenged", "backed", "called for", "suspended",
)

OBJECTS = (
    "a new budget", "the ceasefire terms", "a draft law", "the trade agreement", "an emergency fund",
    "the election timetable", "a set of sanctions", "the interest rate decision", "a water-sharing deal",
    "the reform package", "new border checks", "the energy subsidy", "a public inquiry", "the vaccine rollout",
    "a carbon tax", "the pension plan", "a data-protection rule", "the peace proposal", "the housing target",
    "a review of the evidence", "the export ban", "a second round of talks", "the spending cuts",
)

CLAUSES = (
    "after weeks of pressure", "despite strong objections", "for the first time since 2011",
    "according to people familiar with the talks", "ahead of next month's vote", "in a statement on Tuesday",
    "under a deal struck last year", "as prices kept rising", "while the talks continue", "without a vote",
    "in response to the protests", "following a court ruling", "amid growing uncertainty",
    "before the deadline expires", "as part of a wider plan", "in a move that surprised observers",
)

FILLERS = (
    "That matters because the decision affects millions of people who have little say in it.",
    "Officials say the details will be published within weeks, but few expect a quick resolution.",
    "The numbers are contested, and independent estimates vary widely.",
    "Critics argue that the plan does not go far enough; supporters say it is a realistic first step.",
    "It is not the first time the question has come up, and it is unlikely to be the last.",
    "The history here is long and complicated, but the main points are fairly simple.",
    "What happens next depends largely on how the other side responds.",
    "There is no precedent for a change of this size, which makes forecasts difficult.",
    "Several experts we spoke to described the outcome as \"the least bad option\".",
    "Much of the debate turns on a single, unresolved legal question.",
    "In practice, the rules have been applied unevenly from one region to another.",
    "The cost is expected to run into billions over the next decade.",
)

QUESTIONS = (
    "What is {thing}?", "Why does {thing} matter?", "Who is behind {thing}?", "How will {thing} work?",
    "What happens to {thing} now?", "Who pays for {thing}?", "What do critics say about {thing}?",
    "How did we get to {thing}?", "What comes next for {thing}?", "Could {thing} fail?",
    "Is there an alternative to {thing}?", "What does {thing} mean for {place}?", "Why now?",
    "What do the numbers say?", "Who gains from {thing}?", "How long will {thing} last?",
)

QUESTION_OBJECTS = (
    "the deal", "the new rules", "the vote", "the talks", "the budget", "the ruling", "the plan",
    "the dispute", "the crisis", "the reform", "the ban", "the agreement", "the inquiry", "the shortage",
)

HEADLINE_PATTERNS = (
    "What is behind the {thing} in {place}?",
    "Why {place}'s {thing} matters beyond its borders",
    "{place} and the {thing}: what comes next?",
    "How the {thing} in {place} could change everything",
    "Who wins and who loses from the {thing} in {place}?",
    "The {thing} in {place}, explained",
    "Is the {thing} in {place} working?",
)

THINGS = (
    "water dispute", "election crisis", "budget standoff", "energy shortage", "border deal",
    "court ruling", "housing squeeze", "vaccine drive", "trade row", "peace talks", "heatwave",
    "data law", "pension reform", "strike wave", "currency slide", "drought", "rail project",
    "AI rules", "fishing quota fight", "refugee plan",
)

PLACES = (
    "Astana", "Lagos", "Lima", "Jakarta", "Nairobi", "Warsaw", "Manila", "Dhaka", "Bogota", "Hanoi",
    "Lisbon", "Accra", "Tbilisi", "Karachi", "Quito", "Dakar", "Tunis", "Almaty", "Sofia", "Riga",
    "Kyiv", "Ankara", "Cairo", "Seoul", "Santiago", "Mumbai", "Kampala", "Oslo", "Beirut", "Montevideo",
)

LINK_SITES = (
    "https://www.un.org/en/", "https://data.worldbank.org/", "https://www.who.int/news",
    "https://www.imf.org/en/Publications", "https://eur-lex.europa.eu/", "https://www.oecd.org/",
    "https://www.ipcc.ch/reports/", "https://www.icj-cij.org/cases",
)

CREDITS = (
    "Illustration: Nutgraf Graphics Desk", "Photo: Agency pool", "Map: Nutgraf Data Team",
    "Chart: Nutgraf Data Team", "Photo: Staff photographer", "Illustration: Freelance contributor",
)

OFFSETS = ("+00:00", "+01:00", "+02:00", "+03:00", "+05:30", "+06:00", "+08:00", "+09:00", "-03:00",
           "-05:00", "-08:00")
