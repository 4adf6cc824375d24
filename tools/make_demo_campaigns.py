#!/usr/bin/env python3
"""make_demo_campaigns.py - writes the demonstration campaigns of assets/campaigns/.

Run by hand (Python 3, standard library only); its output is committed and the
build never runs it:

    python3 tools/make_demo_campaigns.py

Reads assets/data/communes-35.csv (the 332 communes of Ille-et-Vilaine, from
@etalab/decoupage-administratif 6.0.0, MIT licence, Etalab, built from
INSEE's Code officiel géographique) and writes:

    assets/campaigns/demo-budget.json    budget vote "bp35-demo"
    assets/campaigns/demo-petition.json  petition "pet35-demo"

The communes are real; the six territories and the 27 cantons are a
DEMONSTRATION GROUPING derived below (see assets/campaigns/README.md), not the
official INSEE cantons nor the exact perimeters of the département's agencies.

Territory of a commune (first postal code when it has several):
  - arrondissement of Saint-Malo (354)  -> saint-malo
  - arrondissement of Redon (352)       -> redon-vallons
  - arrondissement of Fougères-Vitré (351): postal code in VITRE_CODES -> vitre,
    otherwise -> fougeres
  - arrondissement of Rennes (353): postal code in BROCELIANDE_CODES, or the
    commune in BROCELIANDE_EXTRA -> broceliande, otherwise -> rennes
Cantons: 27 shared among the territories in proportion to their population
(largest remainders, at least one each); inside a territory, communes sorted
by (first postal code, INSEE code) are cut into that many consecutive groups
whose populations are as close as possible to equal (least squares, exact
dynamic programming). A canton is named after its most populous commune.
"""

import csv
import json
import os
import re
import sys

# The public half of demo-controller.key (an uncompressed P-256 point, hex).
DEMO_CONTROLLER = ("04b26946daf757cf1f5008c7126644c7399cbb89196e13ebaf3ab18c718527b053"
                   "ed04655dad2b916879cecdc8a225844d5e4cf5a3bd41a81bee0c30aa8129a76a")

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CSV_PATH = os.path.join(ROOT, "assets", "data", "communes-35.csv")
OUT_DIR = os.path.join(ROOT, "assets", "campaigns")

N_CANTONS = 27
N_COMMUNES = 332
ENVELOPE = 333333  # 2 M EUR / 6 territories, in whole euros

# Fougères-Vitré arrondissement: postal codes of the Vitré side (Vitré
# Communauté, Roche aux Fées, Châteaubourg); every other code -> fougeres.
VITRE_CODES = {"35500", "35220", "35370", "35130", "35240", "35410", "35150",
               "35680", "35210", "35113", "35134", "35640", "35450"}
# Rennes arrondissement: postal codes of the west (Montfort, Montauban,
# Saint-Méen, Plélan, Iffendic, Bédée) -> broceliande; every other -> rennes.
BROCELIANDE_CODES = {"35137", "35160", "35290", "35360", "35380", "35750"}
# Communes whose postal code is shared with the Rennes side (35310, 35850).
BROCELIANDE_EXTRA = {"Bréal-sous-Montfort", "Saint-Thurial", "Irodouër"}

TERRITORIES = [
    ("rennes", "Pays de Rennes", "Rennes area"),
    ("redon-vallons", "Pays de Redon et Vallons de Vilaine", "Redon and Vallons de Vilaine area"),
    ("saint-malo", "Pays de Saint-Malo", "Saint-Malo area"),
    ("fougeres", "Pays de Fougères", "Fougères area"),
    ("broceliande", "Pays de Brocéliande", "Brocéliande area"),
    ("vitre", "Pays de Vitré", "Vitré area"),
]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def text(fr, en):
    return {"fr": fr, "en": en}


# (id, territory, cost in euros, title fr/en, summary fr/en, description fr/en)
PROJECTS = [
    # --- Pays de Rennes --------------------------------------------------------
    ("ren-jardin", "rennes", 28500,
     "Jardin partagé du Blosne", "A shared garden in Le Blosne",
     "Des parcelles et un composteur collectif au pied des immeubles du Blosne.",
     "Garden plots and a shared compost bin at the foot of Le Blosne's blocks.",
     "Une pelouse peu utilisée devient un jardin de 40 parcelles, dont 6 surélevées pour "
     "les personnes en fauteuil. Un abri à outils, un récupérateur d'eau de pluie et un "
     "composteur collectif sont installés. L'association de quartier anime le jardin.",
     "A little-used lawn becomes a garden of 40 plots, 6 of them raised for wheelchair "
     "users. A tool shed, a rainwater tank and a shared compost bin are installed. The "
     "neighbourhood association runs the garden."),
    ("ren-velo", "rennes", 148000,
     "Piste cyclable Betton - Saint-Grégoire", "Betton - Saint-Grégoire cycle path",
     "1,2 km de piste cyclable séparée de la route départementale entre deux communes.",
     "1.2 km of cycle path, separated from the main road, between two towns.",
     "La section manquante entre Betton et Saint-Grégoire est aménagée en piste "
     "bidirectionnelle de 3 mètres, éclairée aux carrefours. Les collégiens et les "
     "salariés de la zone d'activités pourront rejoindre Rennes sans emprunter la route.",
     "The missing section between Betton and Saint-Grégoire becomes a 3-metre two-way "
     "path, lit at junctions. Secondary school pupils and workers of the business park "
     "will reach Rennes without riding on the road."),
    ("ren-reparation", "rennes", 36000,
     "Repair café itinérant", "A travelling repair café",
     "Une camionnette outillée qui tient un repair café dans une commune différente par mois.",
     "A van full of tools that holds a repair café in a different town every month.",
     "Des bénévoles réparent avec les habitants petits appareils, vélos et vêtements. Le "
     "budget couvre l'achat et l'aménagement d'une camionnette d'occasion et l'outillage. "
     "Le calendrier est publié en mairie et sur le site du Département.",
     "Volunteers and residents mend small appliances, bikes and clothes together. The "
     "budget covers buying and fitting out a second-hand van, and the tools. The calendar "
     "is posted in town halls and on the Département's website."),
    ("ren-aire-jeux", "rennes", 95000,
     "Aire de jeux inclusive à Bruz", "An inclusive playground in Bruz",
     "Des jeux accessibles aux enfants en fauteuil, malvoyants ou autistes, au parc central.",
     "Play equipment for children in wheelchairs, with low vision or autism, in the park.",
     "Le parc central reçoit un tourniquet au ras du sol, une balançoire nid, des panneaux "
     "sonores et un sol souple continu. Un coin calme, à l'écart, accueille les enfants "
     "qui ont besoin d'une pause. Les familles concernées ont été associées au choix.",
     "The central park gets a ground-level roundabout, a nest swing, sound panels and a "
     "continuous soft surface. A quiet corner, set apart, welcomes children who need a "
     "break. The families concerned helped to choose."),
    ("ren-arbres-ecole", "rennes", 82000,
     "Des arbres dans la cour de l'école de Liffré", "Trees on Liffré's school yard",
     "Retirer une partie du bitume et planter des arbres pour une cour plus fraîche.",
     "Remove part of the asphalt and plant trees for a cooler school yard.",
     "Un tiers de la cour de l'école élémentaire est désimperméabilisé et planté de 15 "
     "arbres, de massifs et d'un petit potager. La cour reste jouable par tous les temps "
     "grâce à des copeaux et à des allées stabilisées. Les élèves participent aux "
     "plantations.",
     "A third of the primary school yard is unsealed and planted with 15 trees, flower "
     "beds and a small vegetable patch. Wood chips and firm paths keep it usable in all "
     "weathers. Pupils take part in the planting."),
    # --- Pays de Redon et Vallons de Vilaine ------------------------------------
    ("red-skatepark", "redon-vallons", 120000,
     "Skatepark à Redon", "A skatepark in Redon",
     "Un skatepark en béton ouvert à tous les niveaux, près du port.",
     "A concrete skatepark for all levels, near the harbour.",
     "Les jeunes de Redon demandent depuis longtemps un lieu de glisse. Le projet prévoit "
     "un bowl, des modules de street et une zone pour débutants, dessinés avec eux. Des "
     "bancs et un point d'eau complètent l'aménagement.",
     "Redon's young people have long asked for a place to skate. The plan has a bowl, "
     "street features and a beginners' area, designed with them. Benches and a drinking "
     "fountain complete it."),
    ("red-halte-velo", "redon-vallons", 24000,
     "Halte vélo au bord de la Vilaine", "A cyclists' stop on the Vilaine",
     "Abri, station de réparation et recharge de vélos sur le chemin de halage à Messac.",
     "A shelter, a repair stand and bike charging on the towpath at Messac.",
     "Le chemin de halage attire des milliers de cyclistes chaque été. La halte offre un "
     "abri, une station de gonflage et de réparation en libre-service, des arceaux et "
     "deux prises de recharge pour vélos électriques.",
     "The towpath draws thousands of cyclists every summer. The stop offers a shelter, a "
     "self-service pump and repair stand, bike racks and two charging points for "
     "electric bikes."),
    ("red-verger", "redon-vallons", 15000,
     "Verger conservatoire à Val d'Anast", "A heritage orchard in Val d'Anast",
     "Planter 60 pommiers et poiriers de variétés locales anciennes sur un terrain communal.",
     "Plant 60 apple and pear trees of old local varieties on council land.",
     "Le verger sauvegarde des variétés bretonnes menacées et sert de support aux écoles. "
     "Une association de croqueurs de pommes assure la taille et les greffes. Les fruits "
     "sont cueillis librement par les habitants.",
     "The orchard saves threatened Breton varieties and gives schools a place to learn. "
     "An apple growers' club does the pruning and grafting. Residents pick the fruit "
     "freely."),
    ("red-tiers-lieu", "redon-vallons", 150000,
     "Tiers-lieu à Bain-de-Bretagne", "A community hub in Bain-de-Bretagne",
     "Rénover l'ancienne poste en lieu ouvert : atelier, café associatif, aide numérique.",
     "Renovate the old post office into an open hub: workshop, café, digital help.",
     "Le bâtiment vide est remis aux normes et rendu accessible. Il accueillera un "
     "atelier partagé, un café associatif et des permanences d'aide aux démarches en "
     "ligne. Les associations locales en assureront la gestion.",
     "The empty building is brought up to standard and made accessible. It will house a "
     "shared workshop, a community cafe and drop-in help with online paperwork. Local "
     "associations will run it."),
    ("red-passerelle", "redon-vallons", 65000,
     "Passerelle piétonne à Pipriac", "A footbridge in Pipriac",
     "Une passerelle en bois sur le ruisseau pour relier deux quartiers sans prendre la route.",
     "A wooden footbridge over the stream, linking two neighbourhoods off the road.",
     "Aujourd'hui, les piétons doivent faire un détour de 800 mètres par une route sans "
     "trottoir. La passerelle, accessible aux poussettes et aux fauteuils, raccourcit le "
     "trajet vers l'école et les commerces.",
     "Pedestrians now make an 800-metre detour along a road with no pavement. The "
     "footbridge, suitable for pushchairs and wheelchairs, shortens the way to the school "
     "and the shops."),
    # --- Pays de Saint-Malo ------------------------------------------------------
    ("stm-dune", "saint-malo", 42000,
     "Protéger la dune de Saint-Coulomb", "Protect the dune at Saint-Coulomb",
     "Ganivelles, replantation d'oyats et panneaux pour que la dune se reconstitue.",
     "Sand fences, marram grass and signs so that the dune can rebuild itself.",
     "Le piétinement a ouvert des brèches dans le cordon dunaire. Des ganivelles en "
     "châtaignier canalisent le passage vers deux accès à la plage, et des oyats sont "
     "replantés avec les écoles. Des panneaux expliquent le rôle de la dune.",
     "Trampling has opened gaps in the dune. Chestnut sand fences guide walkers to two "
     "beach accesses, and marram grass is replanted with local schools. Signs explain "
     "what the dune does."),
    ("stm-velo", "saint-malo", 135000,
     "Liaison cyclable à Dol-de-Bretagne", "A cycle link at Dol-de-Bretagne",
     "Relier la gare de Dol-de-Bretagne au collège par une voie cyclable continue.",
     "Link Dol-de-Bretagne station and the secondary school by a continuous cycle lane.",
     "Un kilomètre de voie cyclable est aménagé entre la gare et le collège, avec deux "
     "traversées sécurisées. Des arceaux couverts sont installés aux deux bouts. Le "
     "trajet devient possible à vélo pour les élèves des communes voisines qui arrivent "
     "en train.",
     "One kilometre of cycle lane is built between the station and the school, with two "
     "safe crossings. Covered bike racks are put at both ends. Pupils from nearby towns "
     "who come by train can then ride the rest of the way."),
    ("stm-cantine", "saint-malo", 78000,
     "Légumerie pour les cantines de Combourg", "A vegetable kitchen for Combourg's canteens",
     "Équiper une légumerie pour cuisiner des légumes frais des fermes voisines.",
     "Equip a prep kitchen to cook fresh vegetables from nearby farms.",
     "Les cantines servent surtout des légumes surgelés faute de pouvoir éplucher de "
     "grandes quantités. La légumerie (éplucheuse, laveuse, chambre froide) permet "
     "d'acheter aux maraîchers du secteur. Elle servira aussi aux écoles des communes "
     "voisines.",
     "Canteens mostly serve frozen vegetables because they cannot peel large amounts. "
     "The prep kitchen (peeler, washer, cold room) lets them buy from local growers. It "
     "will also serve the schools of nearby towns."),
    ("stm-livres", "saint-malo", 7500,
     "Boîtes à livres", "Book boxes",
     "Dix boîtes à livres fabriquées par un chantier d'insertion, dans dix communes.",
     "Ten book boxes built by a back-to-work workshop, in ten towns.",
     "Chacun y dépose et emprunte des livres librement. Les boîtes sont fabriquées en bois "
     "de récupération par un chantier d'insertion local. Une bibliothèque de chaque "
     "commune en prend soin.",
     "Anyone can leave and borrow books freely. The boxes are built from reclaimed wood by "
     "a local back-to-work workshop. Each town's library looks after its box."),
    ("stm-aire-jeux", "saint-malo", 88000,
     "Aire de jeux inclusive à Tinténiac", "An inclusive playground in Tinténiac",
     "Une aire de jeux où enfants valides et handicapés jouent ensemble, près du canal.",
     "A playground where disabled and non-disabled children play together, by the canal.",
     "L'aire actuelle, vétuste, est remplacée par des jeux accessibles : rampe d'accès à "
     "la structure, balançoire adaptée, jeux sensoriels. Des bancs à l'ombre et des "
     "toilettes accessibles sont prévus pour les parents et les accompagnants.",
     "The worn-out playground is replaced by accessible equipment: a ramp onto the "
     "climbing frame, an adapted swing and sensory games. Shaded benches and accessible "
     "toilets are planned for parents and carers."),
    # --- Pays de Fougères ----------------------------------------------------------
    ("fou-pumptrack", "fougeres", 110000,
     "Pumptrack à Maen Roch", "A pump track in Maen Roch",
     "Une piste à bosses en enrobé pour vélos, trottinettes et rollers, ouverte à tous.",
     "An asphalt track of bumps for bikes, scooters and skates, open to all.",
     "La pumptrack se pratique sans pédaler, dès 4 ans comme à l'adolescence. Elle est "
     "installée près du complexe sportif, éclairée jusqu'à 21 heures. Un club local "
     "proposera des initiations gratuites.",
     "A pump track is ridden without pedalling, by 4-year-olds as well as teenagers. It "
     "sits near the sports centre, lit until 9 pm. A local club will give free "
     "introductory sessions."),
    ("fou-haies", "fougeres", 26000,
     "Haies bocagères à Bazouges-la-Pérouse", "Hedgerows in Bazouges-la-Pérouse",
     "Replanter 3 km de haies le long des chemins de randonnée avec les habitants.",
     "Replant 3 km of hedgerows along footpaths, with residents.",
     "Les haies abritent les oiseaux, retiennent l'eau et protègent du vent. Trois "
     "kilomètres sont replantés en essences locales lors de chantiers ouverts aux "
     "habitants et aux écoles. Les agriculteurs riverains ont donné leur accord.",
     "Hedgerows shelter birds, hold water and break the wind. Three kilometres are "
     "replanted with local species during work days open to residents and schools. The "
     "neighbouring farmers have agreed."),
    ("fou-jardin", "fougeres", 19000,
     "Jardin partagé à Lécousse", "A shared garden in Lécousse",
     "Un jardin ouvert, des bacs surélevés et un composteur, près de l'école.",
     "An open garden with raised beds and a compost bin, near the school.",
     "Le terrain en friche derrière la salle des fêtes devient un jardin partagé. Les bacs "
     "surélevés permettent de jardiner assis. L'école et le centre de loisirs disposent "
     "chacun d'une parcelle.",
     "The waste ground behind the village hall becomes a shared garden. Raised beds let "
     "people garden sitting down. The school and the holiday club each get a plot."),
    ("fou-abri-velo", "fougeres", 45000,
     "Abris vélos sécurisés", "Secure bike shelters",
     "Des abris vélos fermés aux arrêts de car de Fougères, Louvigné et Val-Couesnon.",
     "Locked bike shelters at the coach stops of Fougères, Louvigné and Val-Couesnon.",
     "Beaucoup d'habitants prendraient le car pour Rennes s'ils pouvaient laisser leur "
     "vélo en sécurité. Trois abris fermés de 20 places, accessibles avec une carte, "
     "sont installés aux principaux arrêts.",
     "Many residents would take the coach to Rennes if they could leave their bike "
     "safely. Three locked shelters of 20 places each, opened with a card, are installed "
     "at the main stops."),
    ("fou-escalade", "fougeres", 148000,
     "Mur d'escalade à Fougères", "A climbing wall in Fougères",
     "Un mur d'escalade couvert dans le gymnase, pour les écoles, les clubs et le public.",
     "An indoor climbing wall in the sports hall, for schools, clubs and the public.",
     "Le mur de 9 mètres comprend un pan de bloc pour les débutants. Il sera utilisé par "
     "les collèges et lycées le jour et par le club le soir. Des créneaux ouverts à tous "
     "sont prévus le week-end.",
     "The 9-metre wall includes a bouldering section for beginners. Secondary schools "
     "will use it by day and the club in the evening. Open sessions for everyone are "
     "planned at weekends."),
    # --- Pays de Brocéliande --------------------------------------------------------
    ("bro-sentier", "broceliande", 68000,
     "Sentier accessible en forêt de Paimpont", "An accessible trail in Paimpont forest",
     "Un sentier de 2 km praticable en fauteuil, avec bornes sonores et tactiles.",
     "A 2 km trail usable in a wheelchair, with audio and tactile posts.",
     "Le sentier part du bourg de Paimpont et longe l'étang. Son revêtement stabilisé, "
     "ses bancs tous les 200 mètres et ses bornes en braille le rendent accessible aux "
     "personnes à mobilité réduite ou malvoyantes. Les légendes de la forêt y sont "
     "racontées.",
     "The trail starts in Paimpont village and runs along the lake. Its firm surface, "
     "benches every 200 metres and braille posts make it accessible to people with "
     "reduced mobility or low vision. The forest's legends are told along the way."),
    ("bro-voie-verte", "broceliande", 150000,
     "Voie verte Montfort-sur-Meu - Bédée", "Montfort-sur-Meu - Bédée greenway",
     "Prolonger la voie verte de 1,5 km pour relier Bédée au collège de Montfort.",
     "Extend the greenway by 1.5 km to link Bédée to Montfort's secondary school.",
     "La voie verte s'arrête aujourd'hui à l'entrée de Montfort-sur-Meu. Son prolongement "
     "jusqu'à Bédée, à l'écart des voitures, permettra aux collégiens de venir à vélo. "
     "Elle servira aussi aux promeneurs et aux cavaliers.",
     "The greenway now stops at the edge of Montfort-sur-Meu. Extending it to Bédée, "
     "away from cars, will let pupils cycle to school. Walkers and riders will use it "
     "too."),
    ("bro-aire-jeux", "broceliande", 92000,
     "Aire de jeux inclusive à Saint-Méen-le-Grand", "An inclusive playground in Saint-Méen-le-Grand",
     "Des jeux pour tous les enfants, quel que soit leur handicap, près de la médiathèque.",
     "Play equipment for every child, whatever their disability, near the library.",
     "L'aire comprend une structure accessible par rampe, un carrousel au ras du sol et "
     "des panneaux de jeux sensoriels. Le sol souple et les cheminements larges "
     "permettent de circuler en fauteuil. Un coin ombragé est réservé aux plus petits.",
     "The playground has a frame reached by a ramp, a ground-level carousel and sensory "
     "play panels. The soft surface and wide paths let wheelchairs move around. A shaded "
     "corner is kept for toddlers."),
    ("bro-epicerie", "broceliande", 38000,
     "Épicerie solidaire itinérante", "A travelling community grocery",
     "Un camion-épicerie à petits prix qui passe chaque semaine dans les bourgs sans commerce.",
     "A low-price grocery van that visits villages without shops every week.",
     "Plusieurs bourgs n'ont plus de commerce et les personnes sans voiture peinent à "
     "faire leurs courses. Le camion, tenu par une association, propose des produits "
     "locaux et de première nécessité à prix solidaires.",
     "Several villages have lost their last shop, and people without a car struggle to "
     "buy food. The van, run by an association, sells local and everyday goods at "
     "affordable prices."),
    ("bro-livres", "broceliande", 6000,
     "Boîtes à livres et à graines", "Book and seed boxes",
     "Huit boîtes où chacun dépose et prend librement livres et graines de jardin.",
     "Eight boxes where anyone can leave and take books and garden seeds.",
     "Les boîtes sont installées près des écoles et des arrêts de car. Une étagère y est "
     "réservée aux graines récoltées par les jardiniers. Les médiathèques du secteur "
     "veillent à leur bon état.",
     "The boxes stand near schools and coach stops. One shelf in each is kept for seeds "
     "saved by gardeners. The area's libraries keep them in good order."),
    # --- Pays de Vitré ---------------------------------------------------------------
    ("vit-cour-ecole", "vitre", 96000,
     "Cour d'école plantée à Argentré-du-Plessis", "A green school yard in Argentré-du-Plessis",
     "Remplacer l'enrobé par des arbres, de l'herbe et des jeux en bois.",
     "Replace the asphalt with trees, grass and wooden play equipment.",
     "La cour de l'école publique atteint plus de 40 degrés en juin. Le projet plante 12 "
     "arbres, crée des noues pour l'eau de pluie et installe des jeux en bois. Les élèves "
     "ont dessiné la nouvelle cour avec un paysagiste.",
     "The public school's yard passes 40 degrees in June. The project plants 12 trees, "
     "adds swales for rainwater and puts in wooden play equipment. Pupils designed the "
     "new yard with a landscape architect."),
    ("vit-banc-solaire", "vitre", 14000,
     "Bancs solaires à Vitré", "Solar benches in Vitré",
     "Quatre bancs avec panneau solaire pour recharger un téléphone, en centre-ville.",
     "Four benches with a solar panel to charge a phone, in the town centre.",
     "Les bancs offrent une pause et une prise USB alimentée par le soleil, utile aux "
     "visiteurs comme aux habitants. Ils sont placés près du château, de la gare et du "
     "jardin du parc.",
     "The benches offer a rest and a sun-powered USB socket, handy for visitors and "
     "residents alike. They are placed near the castle, the station and the park "
     "garden."),
    ("vit-velo", "vitre", 140000,
     "Piste cyclable Châteaubourg - Saint-Didier", "Châteaubourg - Saint-Didier cycle path",
     "Une piste cyclable de 1,3 km le long de la Vilaine, entre les deux bourgs.",
     "A 1.3 km cycle path along the Vilaine, between the two villages.",
     "Le trajet par la route départementale est dangereux pour les vélos. La piste suit la "
     "vallée de la Vilaine et rejoint la gare de Châteaubourg. Elle complète le réseau de "
     "randonnée du secteur.",
     "Riding along the main road is dangerous. The path follows the Vilaine valley and "
     "reaches Châteaubourg station. It completes the area's network of trails."),
    ("vit-outilotheque", "vitre", 30000,
     "Repair café et outilthèque à Janzé", "Repair café and tool library in Janzé",
     "Emprunter des outils plutôt que les acheter, et réparer ensemble chaque mois.",
     "Borrow tools rather than buy them, and mend things together every month.",
     "Un local communal accueille une outilthèque de 200 outils prêtés gratuitement et un "
     "repair café mensuel. Le budget couvre l'aménagement du local et l'achat des outils. "
     "Des bénévoles bricoleurs tiennent les permanences.",
     "A council room houses a library of 200 tools lent for free and a monthly repair "
     "café. The budget covers fitting out the room and buying the tools. Handy "
     "volunteers staff the opening hours."),
    ("vit-ponton", "vitre", 68000,
     "Ponton accessible à Martigné-Ferchaud", "An accessible jetty in Martigné-Ferchaud",
     "Un ponton de pêche et d'observation accessible en fauteuil sur l'étang de la Forge.",
     "A fishing and viewing jetty usable in a wheelchair on the Forge lake.",
     "Le ponton, relié au parking par un cheminement stabilisé, permet à tous de pêcher "
     "ou d'observer les oiseaux. Une partie est abaissée à hauteur de fauteuil. Des "
     "panneaux présentent la faune de l'étang.",
     "The jetty, linked to the car park by a firm path, lets everyone fish or watch birds. "
     "Part of it is lowered to wheelchair height. Signs present the lake's wildlife."),
]

PETITION_TITLE = text(
    "Des bus le soir et la nuit entre les bourgs et les villes",
    "Evening and night buses between villages and towns")
PETITION_DESCRIPTION = text(
    "Après 20 heures, la plupart des communes d'Ille-et-Vilaine ne sont plus desservies "
    "par les cars BreizhGo. Les jeunes, les salariés en horaires décalés et les personnes "
    "sans voiture ne peuvent ni rentrer d'un travail du soir ni sortir. Nous demandons "
    "que l'assemblée départementale étudie, avec la Région, des lignes de soirée et de "
    "nuit le vendredi et le samedi, et un transport à la demande en semaine jusqu'à "
    "minuit.",
    "After 8 pm most towns and villages of Ille-et-Vilaine have no BreizhGo coach. Young "
    "people, shift workers and people without a car can neither get home from evening "
    "work nor go out. We ask the departmental assembly to study, with the Region, "
    "evening and night lines on Fridays and Saturdays, and on-demand transport until "
    "midnight on weekdays.")

BUDGET_TITLE = text(
    "Budget participatif d'Ille-et-Vilaine (démonstration)",
    "Ille-et-Vilaine participatory budget (demonstration)")
BUDGET_DESCRIPTION = text(
    "Choisissez de 1 à 5 projets de votre territoire. Le total de vos choix ne doit pas "
    "dépasser l'enveloppe du territoire. Les projets les plus soutenus seront financés "
    "jusqu'à épuisement de l'enveloppe. Ceci est une campagne de démonstration.",
    "Choose 1 to 5 projects of your territory. The total cost of your choice must stay "
    "within the territory's envelope. The most supported projects will be funded until "
    "the envelope runs out. This is a demonstration campaign.")

VALID = {"from": "2026-09-01", "until": "2028-12-31"}
POLLS = {"opens": "2026-11-01", "closes": "2028-12-31"}


def fail(msg):
    sys.exit("make_demo_campaigns: " + msg)


def read_communes(path):
    communes = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            communes.append({
                "insee": row["code_insee"],
                "name": row["nom"],
                "postcode": row["codes_postaux"].split()[0],
                "population": int(row["population"]),
                "arrondissement": row["arrondissement_code"],
            })
    return communes


def territory_of(c):
    arr, pc = c["arrondissement"], c["postcode"]
    if arr == "354":
        return "saint-malo"
    if arr == "352":
        return "redon-vallons"
    if arr == "351":
        return "vitre" if pc in VITRE_CODES else "fougeres"
    if arr == "353":
        if pc in BROCELIANDE_CODES or c["name"] in BROCELIANDE_EXTRA:
            return "broceliande"
        return "rennes"
    fail("%s %s: unknown arrondissement %s" % (c["insee"], c["name"], arr))


def apportion(pops, seats):
    """Largest remainders, at least one seat each. pops: {key: population}."""
    total = sum(pops.values())
    quota = {k: seats * p / total for k, p in pops.items()}
    got = {k: max(1, int(q)) for k, q in quota.items()}
    while sum(got.values()) < seats:
        k = max(pops, key=lambda k: (quota[k] - got[k], pops[k]))
        got[k] += 1
    while sum(got.values()) > seats:
        k = min((k for k in pops if got[k] > 1), key=lambda k: (quota[k] - got[k], -pops[k]))
        got[k] -= 1
    return got


def split(pops, k):
    """Cuts the list pops into k non-empty consecutive runs whose sums are as
    close as possible to sum/k (least squares). Returns the cut indexes."""
    n = len(pops)
    target = sum(pops) / k
    prefix = [0]
    for p in pops:
        prefix.append(prefix[-1] + p)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            for m in range(j - 1, i):
                if best[j - 1][m] == inf:
                    continue
                v = best[j - 1][m] + (prefix[i] - prefix[m] - target) ** 2
                if v < best[j][i]:
                    best[j][i], cut[j][i] = v, m
    bounds, i = [], n
    for j in range(k, 0, -1):
        bounds.append((cut[j][i], i))
        i = cut[j][i]
    return list(reversed(bounds))


def of_name(name):
    """French "de X" with elision and contraction: d'Argentré, du Rheu."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[0] in "AEIOUYÂÉÈÊÎÔ":
        return "d'" + name
    return "de " + name


def build_grouping(communes):
    tids = [t[0] for t in TERRITORIES]
    by_terr = {t: [] for t in tids}
    for c in communes:
        c["territory"] = territory_of(c)
        by_terr[c["territory"]].append(c)
    pops = {t: sum(c["population"] for c in by_terr[t]) for t in tids}
    seats = apportion(pops, N_CANTONS)
    cantons = []
    for t in tids:
        members = sorted(by_terr[t], key=lambda c: (c["postcode"], c["insee"]))
        for lo, hi in split([c["population"] for c in members], seats[t]):
            group = members[lo:hi]
            head = max(group, key=lambda c: (c["population"], c["insee"]))
            cid = "c%02d" % (len(cantons) + 1)
            for c in group:
                c["canton"] = cid
            cantons.append({"id": cid,
                            "name": "Canton de démonstration " + of_name(head["name"]),
                            "territory": t,
                            "population": sum(c["population"] for c in group),
                            "communes": len(group)})
    return by_terr, pops, seats, cantons


def check_id(what, i):
    if not ID_RE.match(i) or len(i.encode()) > 16:
        fail("%s: bad id %r" % (what, i))


def validate(communes, cantons, projects):
    tids = [t[0] for t in TERRITORIES]
    if len(communes) != N_COMMUNES:
        fail("%d communes, expected %d" % (len(communes), N_COMMUNES))
    if len(cantons) != N_CANTONS:
        fail("%d cantons, expected %d" % (len(cantons), N_CANTONS))
    if len({c["insee"] for c in communes}) != len(communes):
        fail("duplicate INSEE code")
    cids = {c["id"] for c in cantons}
    if len(cids) != len(cantons) or len({c["name"] for c in cantons}) != len(cantons):
        fail("duplicate canton id or name")
    for c in cantons:
        check_id("canton", c["id"])
        if c["territory"] not in tids:
            fail("canton %s: no territory" % c["id"])
    for c in communes:
        if not re.match(r"^[0-9][0-9AB][0-9]{3}$", c["insee"]):
            fail("commune %r: bad INSEE code" % c["insee"])
        if c.get("canton") not in cids:
            fail("commune %s %s: no canton" % (c["insee"], c["name"]))
    for t in tids:
        check_id("territory", t)
        if not any(c["territory"] == t for c in cantons):
            fail("territory %s: no canton" % t)
    pids = [p[0] for p in projects]
    if len(set(pids)) != len(pids) or len(projects) != 30:
        fail("projects: %d, ids must be unique and 30 in all" % len(projects))
    for p in projects:
        pid, terr, cost = p[0], p[1], p[2]
        check_id("project", pid)
        if terr not in tids:
            fail("project %s: unknown territory %s" % (pid, terr))
        if not 5000 <= cost <= 150000:
            fail("project %s: cost %d out of 5000..150000" % (pid, cost))
        for s in p[3:]:
            if not s or s != s.strip() or "  " in s:
                fail("project %s: empty or badly spaced text %r" % (pid, s))
        for s in (p[5], p[6]):
            if len(s) > 90:
                fail("project %s: summary of %d characters: %r" % (pid, len(s), s))
    for t in tids:
        mine = [p for p in projects if p[1] == t]
        if not 4 <= len(mine) <= 6:
            fail("territory %s: %d projects" % (t, len(mine)))
        if sum(p[2] for p in mine) <= ENVELOPE:
            fail("territory %s: projects sum %d, not above the envelope %d"
                 % (t, sum(p[2] for p in mine), ENVELOPE))


def common(cid, kind, title, description, with_envelope, communes, cantons):
    return {
        "format": "borne-campaign/1",
        "id": cid,
        "kind": kind,
        "departement": "35",
        "languages": ["fr", "en"],
        "title": title,
        "description": description,
        "valid": dict(VALID),
        "polls": dict(POLLS),
        "eligibility": {"min_age": 16},
        "territories": [
            dict({"id": t, "name": text(fr, en)}, **({"envelope": ENVELOPE} if with_envelope else {}))
            for t, fr, en in TERRITORIES],
        "cantons": [{"id": c["id"], "name": c["name"], "territory": c["territory"]}
                    for c in cantons],
        "communes": [{"insee": c["insee"], "name": c["name"], "canton": c["canton"]}
                     for c in sorted(communes, key=lambda c: c["insee"])],
    }


def write_json(name, obj):
    path = os.path.join(OUT_DIR, name)
    data = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), len(data.encode())))


def main():
    communes = read_communes(CSV_PATH)
    by_terr, pops, seats, cantons = build_grouping(communes)
    validate(communes, cantons, PROJECTS)

    budget = common("bp35-demo", "budget", BUDGET_TITLE, BUDGET_DESCRIPTION, True,
                    communes, cantons)
    budget["rule"] = {"min": 1, "max": 5, "knapsack": True, "min_spend_percent": 0}
    budget["counting"] = "greedy"
    budget["projects"] = [
        {"id": pid, "territory": terr, "cost": cost,
         "title": text(tfr, ten), "summary": text(sfr, sen), "description": text(dfr, den)}
        for pid, terr, cost, tfr, ten, sfr, sen, dfr, den in PROJECTS]
    petition = common("pet35-demo", "petition", PETITION_TITLE, PETITION_DESCRIPTION, False,
                      communes, cantons)
    # (CAST-C7) the identities of signers are sealed to the data controller's
    # key; this one is a DEMONSTRATION key whose private half is committed
    # beside the package (demo-controller.key): never use it for real
    petition["petition"] = {"threshold": 1000, "min_cantons": 3,
                            "controller": DEMO_CONTROLLER}

    write_json("demo-budget.json", budget)
    write_json("demo-petition.json", petition)

    for t, fr, _ in TERRITORIES:
        cost = sum(p[2] for p in PROJECTS if p[1] == t)
        print("%-14s %3d communes %7d inhabitants %2d cantons, projects %6d EUR (envelope %d)"
              % (t, len(by_terr[t]), pops[t], seats[t], cost, ENVELOPE))
    for c in cantons:
        print("  %s %-14s %3d communes %7d  %s"
              % (c["id"], c["territory"], c["communes"], c["population"], c["name"]))


if __name__ == "__main__":
    main()
