#!/usr/bin/env python3
"""Print a realistic, conflict-free programme document for benchmarks.

Usage: scripts/gen-programme.py [N] > programme.json

N (default 200) is the exact number of entries in "sessions", breaks included. The
edition's slug is "bench-N" (so "bench-200" by default). The programme spans 3 days,
about 10 rooms (more when N needs them) and about 2 people per session (400 for 200
sessions), with French titles and abstracts of 400 to 800 characters. Rooms and people
are never double-booked, so `rencontres import-programme` accepts it without
--allow-conflicts. Output is deterministic (fixed seed; override with BENCH_SEED).

Standard library only.
"""

import json
import os
import random
import sys
import unicodedata

DAYS = ["2024-11-18", "2024-11-19", "2024-11-20"]

# Rooms are idle during lunch and the afternoon coffee break (which are the breaks of the
# programme); each window is filled independently for every room.
WINDOWS = [(9 * 60, 12 * 60 + 30), (14 * 60, 16 * 60), (16 * 60 + 30, 19 * 60)]
BREAKS = [
    ("accueil", "Accueil des participants et café", 8 * 60 + 30, 9 * 60),
    ("dejeuner", "Déjeuner au salon des partenaires", 12 * 60 + 30, 14 * 60),
    ("pause", "Pause café", 16 * 60, 16 * 60 + 30),
]

ROOM_NAMES = [
    ("auditorium", "Auditorium Jean-Monnet", 450),
    ("salle-seine", "Salle Seine", 160),
    ("salle-concorde", "Salle Concorde", 120),
    ("salle-etoile", "Salle Étoile", 80),
    ("salle-loire", "Salle Loire", 90),
    ("salle-rhone", "Salle Rhône", 70),
    ("salle-garonne", "Salle Garonne", 60),
    ("salon-vendome", "Salon Vendôme", 45),
    ("salon-madeleine", "Salon Madeleine", 40),
    ("espace-agora", "Espace Agora", 30),
    ("salle-dordogne", "Salle Dordogne", 50),
    ("salle-meuse", "Salle Meuse", 50),
    ("salle-moselle", "Salle Moselle", 40),
    ("salle-marne", "Salle Marne", 40),
    ("salle-charente", "Salle Charente", 35),
    ("salle-allier", "Salle Allier", 35),
]

FIRST_NAMES = [
    "Marie", "Jean", "Fatou", "Mamadou", "Aïcha", "Pierre", "Sophie", "Youssef", "Hélène",
    "Karim", "Nathalie", "Ousmane", "Isabelle", "Mohamed", "Camille", "Aminata", "François",
    "Leïla", "Thomas", "Awa", "Béatrice", "Ibrahima", "Claire", "Rachid", "Élodie", "Moussa",
    "Anne-Sophie", "Cheikh", "Valérie", "Hassan", "Juliette", "Seydou", "Martine", "Omar",
    "Agnès", "Abdoulaye", "Céline", "Nadia", "Jérôme", "Mariam", "Laurent", "Salimata",
    "Yuki", "Hiroshi", "Lucía", "Diego", "Fernanda", "João", "Katrin", "Matthias", "Giulia",
    "Marco", "Inés", "Pablo", "Geneviève", "Étienne", "Nour", "Tamar", "Rami", "Aurélie",
]
LAST_NAMES = [
    "Martin", "Diallo", "Bernard", "Ndiaye", "Dubois", "Traoré", "Lefèvre", "Benali",
    "Moreau", "Sow", "Laurent", "Cissé", "Girard", "El Amrani", "Rousseau", "Koné", "Fournier",
    "Ben Salah", "Mercier", "Ouédraogo", "Blanc", "Camara", "Guérin", "Haddad", "Faure",
    "Keïta", "Chevalier", "Touré", "Lambert", "Bouazizi", "Bonnet", "Sarr", "Durand", "Gueye",
    "Leroy", "Mansouri", "Roux", "Kaboré", "Morel", "Fofana", "Tanaka", "Sato", "García",
    "Fernández", "Oliveira", "Santos", "Schmidt", "Weber", "Rossi", "Bianchi", "Dupuis",
    "Tremblay", "Gagnon", "Peeters", "Janssens", "Nasser", "Cohen", "Levi", "Barakat",
]
COUNTRIES = ["FR"] * 10 + [
    "SN", "MA", "TN", "JP", "AR", "BR", "DE", "ES", "IT", "BE", "CA", "ML", "CI", "PS", "IL",
    "BF", "NE", "CM", "MG", "HT", "LB", "VN", "BJ", "TG", "MR",
]
FUNCTIONS = [
    "Maire", "Adjointe au maire chargée des relations internationales",
    "Adjoint au maire chargé de la coopération décentralisée", "Vice-présidente du conseil régional",
    "Vice-président du conseil départemental", "Conseillère municipale déléguée à la solidarité internationale",
    "Directrice des relations internationales", "Chargé de mission coopération", "Délégué général",
    "Secrétaire générale", "Chercheuse associée", "Présidente", "Chef de projet", "Consultante",
    "Responsable du pôle Afrique", "Coordinateur du programme", "Ambassadrice", "",
]
ORGANISATIONS = [
    "Cités Unies France", "Ville de Lyon", "Ville de Dakar", "Région Bretagne", "Métropole de Lille",
    "Département de l'Hérault", "Agence française de développement (AFD)", "Ville de Rabat",
    "Ville de Tunis", "Région Nouvelle-Aquitaine", "Ministère de l'Europe et des Affaires étrangères",
    "Association des Maires du Sénégal", "CGLU Afrique", "Conseil des communes et régions d'Europe (CCRE)",
    "Ville de Ouagadougou", "Ville de Bamako", "Métropole de Nantes", "Ville de Strasbourg",
    "Région Occitanie", "Ville de Montréal", "Ville de Bordeaux", "Ville de Grenoble",
    "Fédération canadienne des municipalités", "Ville de Hué", "Ville de Kyoto", "Ville de Rosario",
    "Ville de Belo Horizonte", "Ville de Naplouse", "Ville de Haïfa", "Ville de Porto-Novo",
    "Institut de recherche pour le développement (IRD)", "Expertise France", "",
]
PARTNERS = [
    "Agence française de développement", "Ministère de l'Europe et des Affaires étrangères",
    "Banque des Territoires", "Union européenne", "CGLU", "Expertise France", "PFVT",
    "Association internationale des maires francophones", "Région Île-de-France", "Fondation de France",
]

TOPICS = [
    "la coopération décentralisée face au dérèglement climatique",
    "l'accès à l'eau potable et à l'assainissement dans les villes secondaires",
    "la mobilité urbaine durable et les transports publics",
    "la diplomatie des territoires dans un monde en recomposition",
    "la localisation des Objectifs de développement durable",
    "les jumelages à l'heure de la transition écologique",
    "la gestion des déchets et l'économie circulaire",
    "la jeunesse, le volontariat et la mobilité internationale",
    "l'égalité entre les femmes et les hommes dans la gouvernance locale",
    "la sécurité alimentaire et les circuits courts",
    "la gouvernance locale en situation de crise",
    "le financement des collectivités et l'accès aux fonds climat",
    "la culture comme levier de coopération",
    "la santé publique et les villes après la pandémie",
    "la transition énergétique des territoires",
    "le numérique au service des services publics locaux",
    "l'accueil des migrants et la solidarité entre territoires",
    "le tourisme responsable et le patrimoine partagé",
    "la reconstruction et le soutien aux collectivités ukrainiennes",
    "l'éducation à la citoyenneté mondiale",
]
PREFIXES = {
    "plenary": ["Séance plénière", "Grand débat", "Plénière"],
    "regional_meeting": ["Réunion régionale Afrique de l'Ouest", "Réunion régionale Méditerranée",
                         "Réunion régionale Amérique latine", "Réunion régionale Asie",
                         "Réunion régionale Europe orientale"],
    "country_group": ["Groupe-pays Sénégal", "Groupe-pays Maroc", "Groupe-pays Tunisie",
                      "Groupe-pays Japon", "Groupe-pays Brésil", "Groupe-pays Mali",
                      "Groupe-pays Palestine", "Groupe-pays Burkina Faso", "Groupe-pays Québec"],
    "dynamic": ["Dynamique jeunesse", "Dynamique climat", "Dynamique égalité"],
    "thematic_group": ["Groupe thématique eau", "Groupe thématique santé", "Groupe thématique culture",
                       "Groupe thématique éducation", "Groupe thématique numérique"],
    "workshop": ["Atelier", "Atelier pratique", "Atelier d'échange d'expériences"],
    "conference": ["Conférence", "Table ronde", "Débat"],
    "micro_atelier": ["Micro-atelier", "Retour d'expérience", "Pitch de projet"],
    "bourse": ["Bourse aux projets", "Bourse aux partenariats"],
    "other": ["Rencontre", "Présentation", "Séance de travail"],
}
QUESTIONS = [
    "quels leviers pour les collectivités ?", "retours d'expérience et perspectives",
    "comment passer à l'échelle ?", "outils, méthodes et financements",
    "regards croisés entre territoires", "quelles alliances construire ?",
    "de l'engagement à l'action", "bilan et nouvelles pistes",
]
SENTENCES = [
    "Élus locaux, agents territoriaux et partenaires de la société civile partagent les enseignements de projets menés depuis plusieurs années avec leurs homologues.",
    "La séance revient sur les conditions de réussite d'un partenariat durable : confiance, réciprocité, implication des habitants et continuité au-delà des alternances politiques.",
    "Les intervenants présentent des actions concrètes, leurs résultats mesurés et les difficultés rencontrées sur le terrain, notamment en matière de financement et de ressources humaines.",
    "Un temps d'échange avec la salle permet de confronter les pratiques et d'identifier des pistes de coopération nouvelles entre collectivités françaises et étrangères.",
    "Les échanges s'appuient sur les travaux conduits par les groupes-pays et sur les recommandations formulées lors de la précédente édition des Rencontres.",
    "Il s'agit aussi de mieux articuler l'action internationale des collectivités avec les politiques publiques nationales et les priorités de l'aide publique au développement.",
    "La mobilisation des jeunes, des diasporas et des acteurs économiques du territoire y est présentée comme une condition de l'appropriation locale des projets.",
    "Les participants sont invités à apporter leurs questions et leurs propres expériences, afin de nourrir le plaidoyer porté par le réseau auprès des institutions.",
    "Des représentants des bailleurs exposent les dispositifs de cofinancement ouverts aux collectivités et les critères de sélection des prochains appels à projets.",
    "La séance met en lumière le rôle des collectivités dans la résilience des territoires face aux crises sanitaires, climatiques et sécuritaires.",
    "Plusieurs binômes de collectivités partenaires présentent ensemble leur démarche, de l'identification des besoins à l'évaluation finale.",
    "Une synthèse des échanges sera rédigée par le rapporteur et versée aux travaux de la séance plénière de clôture.",
]

KINDS_90 = ["conference"] * 4 + ["workshop"] * 3 + ["thematic_group"] * 2 + ["regional_meeting"] * 2 + [
    "country_group", "dynamic", "other"]
KINDS_60 = ["workshop"] * 3 + ["country_group"] * 3 + ["bourse", "dynamic", "other", "conference"]

# Ways to fill a window of a given length: durations (90, 60, 20) and gaps between them.
PATTERNS = {
    210: [[90, 15, 90], [60, 15, 60, 15, 60], [90, 10, 60, 10, 20], [20, 10, 90, 15, 60],
          [60, 10, 20, 10, 20, 10, 60]],
    120: [[90, 10, 20], [60, 0, 60], [90], [60, 10, 20, 10, 20]],
    150: [[90, 0, 60], [60, 10, 60, 0, 20], [90, 10, 20, 10, 20], [60, 15, 60]],
}
# The main room opens every day with a plenary.
PLENARY_PATTERN = [90, 15, 90]


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out, dash = [], False
    for ch in text:
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def hhmm(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def abstract(rng, topic):
    text = f"Cette séance est consacrée à {topic}."
    for s in rng.sample(SENTENCES, len(SENTENCES)):
        if len(text) + 1 + len(s) > 800:
            continue
        text += (" " if rng.random() < 0.7 else "\n\n") + s
        if len(text) >= 400 + rng.randrange(300):
            break
    return text


def people_list(rng, n):
    people, keys = [], set()
    while len(people) < n:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        key = slugify(name)
        i = 2
        while key in keys:
            key = f"{slugify(name)}-{i}"
            i += 1
        keys.add(key)
        people.append({
            "key": key,
            "name": name,
            "function": rng.choice(FUNCTIONS),
            "organisation": rng.choice(ORGANISATIONS),
            "country": rng.choice(COUNTRIES),
        })
    return people


def slots(rng, rooms):
    """Every possible session (day, room, start, end), rooms never double-booked."""
    out = []
    for day in DAYS:
        for r, room in enumerate(rooms):
            for lo, hi in WINDOWS:
                t = lo
                if r == 0 and lo == WINDOWS[0][0]:
                    pattern = PLENARY_PATTERN
                else:
                    pattern = rng.choice(PATTERNS[hi - lo])
                for i, minutes in enumerate(pattern):
                    if i % 2 == 0:
                        out.append((day, r, t, t + minutes))
                    t += minutes
                assert t <= hi, (pattern, lo, hi)
    return out


def overlaps(busy, start, end):
    return any(a < end and start < b for a, b in busy)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if n < len(DAYS) * len(BREAKS):
        sys.exit(f"N must be at least {len(DAYS) * len(BREAKS)} (the breaks)")
    rng = random.Random(int(os.environ.get("BENCH_SEED", "2024")))

    wanted = n - len(DAYS) * len(BREAKS)
    room_count = 10
    while True:
        if room_count <= len(ROOM_NAMES):
            rooms = [{"key": k, "name": nm, "capacity": c} for k, nm, c in ROOM_NAMES[:room_count]]
        else:
            rooms = [{"key": k, "name": nm, "capacity": c} for k, nm, c in ROOM_NAMES]
            rooms += [{"key": f"salle-{i}", "name": f"Salle {i}", "capacity": 40}
                      for i in range(len(ROOM_NAMES) + 1, room_count + 1)]
        candidates = slots(rng, rooms)
        if len(candidates) >= wanted:
            break
        room_count += 1
    plenaries = [c for c in candidates if c[1] == 0 and c[2] == WINDOWS[0][0]][:wanted]
    others = [c for c in candidates if c not in plenaries]
    chosen = plenaries + rng.sample(others, wanted - len(plenaries))
    chosen.sort(key=lambda s: (s[0], s[2], s[1]))

    people = people_list(rng, max(2 * n, 10))
    busy = {p["key"]: {} for p in people}  # person -> day -> [(start, end)]
    used = {p["key"]: 0 for p in people}

    sessions = []
    for d, day in enumerate(DAYS):
        for key, title, start, end in BREAKS:
            sessions.append({
                "key": f"pause-{key}-{d + 1}", "kind": "break", "title": title, "abstract": "",
                "day": day, "start": hhmm(start), "end": hhmm(end), "room": None,
                "languages": [], "partners": [], "capacity": None, "people": [],
            })

    titles = set()
    for i, (day, r, start, end) in enumerate(chosen):
        room = rooms[r]
        minutes = end - start
        if minutes == 20:
            kind = "micro_atelier"
        elif minutes == 90 and r == 0 and start == WINDOWS[0][0]:
            kind = "plenary"
        elif minutes == 90:
            kind = rng.choice(KINDS_90)
        else:
            kind = rng.choice(KINDS_60)
        topic = rng.choice(TOPICS)
        title = f"{rng.choice(PREFIXES[kind])} : {topic[0].upper()}{topic[1:]}, {rng.choice(QUESTIONS)}"
        while title in titles:
            title += " (suite)"
        titles.add(title)

        # 2 to 5 people, least used first, never two overlapping sessions for anyone.
        count = rng.randint(2, 3) if kind == "micro_atelier" else rng.randint(2, 5)
        pool = list(people)
        rng.shuffle(pool)
        pool.sort(key=lambda p: used[p["key"]])
        picked = []
        for p in pool:
            if not overlaps(busy[p["key"]].get(day, []), start, end):
                picked.append(p["key"])
                if len(picked) == count:
                    break
        roles = []
        for j, pk in enumerate(picked):
            if j == 0:
                role = "opening" if kind == "plenary" else "moderator"
            elif j == len(picked) - 1 and len(picked) >= 4:
                role = "rapporteur"
            else:
                role = "speaker"
            roles.append({"person": pk, "role": role})
            busy[pk].setdefault(day, []).append((start, end))
            used[pk] += 1

        capacity = None
        if rng.random() < 0.25:
            capacity = max(10, room["capacity"] - 10 * rng.randint(0, 3))
        languages = ["fr"] + rng.choice([[], [], ["en"], ["es"], ["en", "es"], ["pt"], ["ar"]])
        sessions.append({
            "key": f"s{i + 1:04d}",
            "kind": kind,
            "title": title,
            "abstract": abstract(rng, topic),
            "day": day,
            "start": hhmm(start),
            "end": hhmm(end),
            "room": room["key"],
            "languages": languages,
            "partners": rng.sample(PARTNERS, rng.choice([0, 0, 1, 1, 2])),
            "capacity": capacity,
            "people": roles,
        })

    sessions.sort(key=lambda s: (s["day"], s["start"], s["room"] or "", s["key"]))
    doc = {
        "edition": {
            "slug": f"bench-{n}",
            "number": 15,
            "year": 2024,
            "title": "15e Rencontres de l'action internationale des collectivités territoriales (banc d'essai)",
            "theme": "Les collectivités territoriales, actrices des transitions et de la solidarité internationale",
            "venue": "Paris",
            "timezone": "Europe/Paris",
            "days": DAYS,
        },
        "rooms": rooms,
        "people": people,
        "sessions": sessions,
    }
    assert len(sessions) == n
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
