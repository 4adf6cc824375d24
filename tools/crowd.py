#!/usr/bin/env python3
"""crowd.py - the citizens of the election day (scripts/election-day.sh).

    python3 tools/crowd.py ASSETS OUT_DIR N SEED

Writes, for two kiosks (1: Rennes, 2: Fougères), the kiosk scripts of N
citizens each (docs/scripting.md), cut in three parts (OUT_DIR/kN-P.txt, P =
1, 2, 3) so that the election day can cut kiosk 1 from the server between
them, and OUT_DIR/crowd.txt: what must happen, one `name value` a line
(votes, signatures per petition, refusals by kind, per kiosk).

Who comes: people of every age from 16 (and a few younger), living mostly in
the kiosk's own territory (by population, INSEE), some elsewhere in the
département, a few outside it (Nantes, Laval, Vannes: not in the list). Most
vote for one to five projects of their territory within its envelope; some
sign one of the two petitions. A few come back a second time, typed
differently: the kiosk says they already took part. Every line of the
scripts says what the screen must show, so a kiosk that behaves otherwise
stops the day. The same SEED gives the same crowd.
"""
import csv
import os
import random
import sys
import unicodedata

LAST = ("Le Gall Le Goff Hamon Morvan Guillou Kervella Quéméner Le Roux Tanguy Jégou Rault "
        "Bertel Lemoine Garnier Pichon Lebreton Riou Le Bihan Caradec Hervé Briand Collet "
        "Le Floch Ménard Cadiou Poirier Daniel Texier Lecomte Besnard Gicquel Berthelot Rolland "
        "Gauthier Chevalier Lefeuvre Hardy Boulanger Perrin Jouan Renaud Marchand Robin Leray "
        "Lucas Thébault Durand Nicolas Fontaine Martin Bernard Petit Moreau Laurent Simon Michel "
        "Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Faure "
        "Rousseau Blanc Guérin Muller Henry Roussel Perrot Mercier Boyer Blanchard Gautier").split()
FIRST = ("Anne Éloïse Yann Gwenaëlle Loïc Maëlle Erwan Nolwenn Ronan Soizic Tristan Maïwenn "
         "Jean Marie Pierre Louise Paul Jeanne Hugo Chloé Lucas Léa Louis Manon Gabriel Emma "
         "Arthur Inès Jules Camille Mathis Zoé Noé Lina Théo Rose Nathan Alice Sacha Lou Malo "
         "Clémence Aurélien Françoise Hélène Rémi Gaëlle Solène Killian Morgane Corentin Enora "
         "Mathilde Benoît Agnès Thérèse Joël Annick Goulven Katell Tugdual Azenor Brieuc").split()
OUTSIDE = ["Nantes", "Laval", "Vannes", "Dinan", "Avranches", "Lorient"]  # no commune of 35 starts so
# the kiosks: their commune's territory
KIOSKS = {1: "Rennes", 2: "Fougères"}
TERRITORY_FR = {"Rennes": "Pays de Rennes", "Redon-Vallons": "Pays de Redon et Vallons de Vilaine",
                "Saint-Malo": "Pays de Saint-Malo", "Fougères": "Pays de Fougères",
                "Brocéliande": "Pays de Brocéliande", "Vitré": "Pays de Vitré"}
ENVELOPE, MAX_PROJECTS, PAGE = 333333, 5, 4
PETITIONS = [("pet35-bus", "Des bus le soir", 0), ("pet35-haies", "Replanter 500 km de haies", 1)]
DAY = (2027, 3, 15)


def read(path, delim):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delim))


def fold(s):
    """What a person might type instead: no accents, another case."""
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").upper()


def identity(p, commune_typed, commune_tapped):
    last, first, birth = p
    out = ['expect screen identity', 'type "%s"' % last, 'tap "Suivant"', 'type "%s"' % first,
           'tap "Suivant"', 'type "%s"' % birth, 'tap "Suivant"', 'type "%s"' % commune_typed]
    if commune_tapped is None:
        return out
    return out + ['tap "%s"' % commune_tapped, 'tap "Continuer"']


def main():
    assets, out, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(seed)
    epci = {r["epci_siren"]: r["territory"] for r in read(os.path.join(assets, "data/territories-35.csv"), ",")}
    communes = [(r["name"], epci[r["epci_siren"]], int(r["population_municipale"]))
                for r in read(os.path.join(assets, "data/communes-35-cantons.csv"), ",")]
    for town in OUTSIDE:
        if any(fold(c[0]).startswith(fold(town)) for c in communes):
            sys.exit("crowd.py: %s is the start of a commune of the département" % town)
    projects = {}
    for r in read(os.path.join(assets, "demo/projets.csv"), ";"):
        cost = int("".join(ch for ch in r["Coût (€)"] if ch.isdigit()))
        projects.setdefault(r["Territoire"], []).append((r["Titre FR"], cost))
    people = set()

    def person(age_lo=16, age_hi=90):
        while True:
            age = rnd.randint(age_lo, age_hi)
            y = DAY[0] - age - 1 + (rnd.random() < 0.5)
            m, d = rnd.randint(1, 12), rnd.randint(1, 28)
            if (DAY[0] - y - ((m, d) > DAY[1:])) < age_lo or (DAY[0] - y - ((m, d) > DAY[1:])) > age_hi:
                continue
            p = (rnd.choice(LAST), rnd.choice(FIRST), "%02d%02d%04d" % (d, m, y))
            if p not in people:
                people.add(p)
                return p

    def commune_of(territory):
        pool = [c for c in communes if c[1] == territory] if rnd.random() < 0.65 else communes
        return rnd.choices(pool, weights=[c[2] for c in pool])[0]

    def tap_commune(name):
        # the full name; the list shows it, and homonym prefixes (Saint-Malo,
        # Saint-Malo-de-Phily) are told apart by the exact label tapped
        return name, name

    facts = []
    for k, home in KIOSKS.items():
        lines_all, came, shot = [], [], set()

        def snap(kind, lines, at, name):
            """a screenshot (kN-NAME) after line `at` the first time of a kind"""
            if kind not in shot:
                lines.insert(at, 'shot k%d-%s' % (k, name))
        
        stats = dict(votes=0, under_age=0, outside=0, twice=0)
        for pid, _, _ in PETITIONS:
            stats["signatures_" + pid] = 0
        for i in range(n):
            lines = []
            r = rnd.random()
            if came and r < 0.04:                       # a second time, typed otherwise
                p, what, commune = rnd.choice(came)
                last, first, birth = p
                alt = (fold(last), fold(first), birth)
                if what == "vote":
                    lines += ['tap "Voter"'] + identity(alt, commune, commune)
                    lines += ['expect screen message', 'expect text "Vous avez déjà participé"']
                    snap("twice", lines, len(lines), "twice")
                    shot.add("twice")
                else:
                    pid, title, page = what
                    lines += ['tap "Lire et signer"', 'expect screen petitions']
                    lines += ['tap "Autres pétitions"'] * page
                    lines += ['tap "Lire la pétition"', 'tap "Signer cette pétition"']
                    lines += identity(alt, commune, commune)
                    lines += ['expect screen message', 'expect text "Vous avez déjà signé cette pétition"']
                lines += ['tap "Retour à l\'accueil"']
                stats["twice"] += 1
            elif r < 0.07:                              # under 16
                p = person(12, 15)
                lines += ['tap "Voter"'] + identity(p, None, None)[:-1]   # refused at the birth date
                lines += ['expect screen message', 'expect text "16 ans"']
                snap("under", lines, len(lines), "under-age")
                shot.add("under")
                lines += ['tap "Retour à l\'accueil"']
                stats["under_age"] += 1
            elif r < 0.10:                              # from outside the département
                p = person()
                town = rnd.choice(OUTSIDE)
                lines += ['tap "Voter"'] + identity(p, town, None)
                lines += ['expect text "Aucune commune d\'Ille-et-Vilaine ne commence ainsi"']
                snap("outside", lines, len(lines), "outside")
                shot.add("outside")
                lines += ['tap "Continuer"', 'expect screen identity',
                          'wait 150000']                 # walks away: the kiosk resets itself
                stats["outside"] += 1
            elif r < 0.75:                              # a vote
                p = person()
                name, terr, _ = commune_of(home)
                plist = projects[TERRITORY_FR[terr]]
                order = list(range(len(plist)))
                rnd.shuffle(order)
                want, chosen, spent = rnd.randint(1, MAX_PROJECTS), [], 0
                for j in order:
                    if len(chosen) < want and spent + plist[j][1] <= ENVELOPE:
                        chosen.append(j)
                        spent += plist[j][1]
                lines += ['tap "Voter"'] + identity(p, *tap_commune(name))
                lines += ['expect screen projects']
                page = 0
                for j in sorted(chosen):
                    while page < j // PAGE:
                        lines.append('tap "Page suivante"')
                        page += 1
                    lines.append('tap "Choisir : %s"' % plist[j][0])
                lines += ['tap "Voir mon choix"', 'expect screen review', 'tap "Valider mon vote"',
                          'expect screen receipt', 'tap "Terminer"']
                if "vote" not in shot:
                    snap("vote", lines, lines.index('tap "Voir mon choix"'), "projects")
                    snap("vote", lines, lines.index('tap "Valider mon vote"'), "review")
                    snap("vote", lines, lines.index('tap "Terminer"'), "receipt")
                    shot.add("vote")
                came.append((p, "vote", name))
                stats["votes"] += 1
            else:                                       # a signature
                p = person()
                name = commune_of(home)[0]
                pid, title, page = PETITIONS[0] if r < 0.89 else PETITIONS[1]
                lines += ['tap "Lire et signer"', 'expect screen petitions']
                lines += ['tap "Autres pétitions"'] * page
                lines += ['tap "Lire la pétition"', 'expect text "%s"' % title,
                          'tap "Signer cette pétition"']
                lines += identity(p, *tap_commune(name))
                lines += ['expect screen consent']
                if rnd.random() < 0.5:
                    lines += ['tap "Ne pas publier mon nom"']
                lines += ['tap "Signer"', 'expect screen receipt', 'tap "Terminer"']
                if pid not in shot:
                    snap(pid, lines, lines.index('tap "Signer cette pétition"'), pid)
                    snap(pid, lines, lines.index('tap "Terminer"'), pid + "-signed")
                    shot.add(pid)
                came.append((p, (pid, title, page), name))
                stats["signatures_" + pid] += 1
            lines.append('expect screen welcome')
            lines_all.append(lines)
        # three parts: kiosk 1 loses the server during the second
        cut = [0, n // 3, 2 * n // 3, n]
        for part in range(3):
            with open(os.path.join(out, "k%d-%d.txt" % (k, part + 1)), "w", encoding="utf-8") as f:
                f.write("# kiosk %d, part %d of the crowd: citizens %d to %d (tools/crowd.py)\n"
                        % (k, part + 1, cut[part] + 1, cut[part + 1]))
                f.write("expect screen welcome\n")
                for lines in lines_all[cut[part]:cut[part + 1]]:
                    f.write("\n".join(lines) + "\n")
        for key, v in stats.items():
            facts.append("k%d_%s %d" % (k, key, v))
    with open(os.path.join(out, "crowd.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(facts) + "\n")


if __name__ == "__main__":
    main()
