META
key;value
description;Municipal PB in Świecie
country;Poland
unit;Świecie
instance;2023
num_projects;22
num_votes;2553
budget;1070000
vote_type;approval
rule;equalshares/add1
date_begin;18.09.2023
date_end;25.09.2023
currency;PLN
PROJECTS
project_id;cost;votes;name;selected
c1;68000;380;Bezpieczny Strażak- zakup ubrań specjalnych dla OSP Gruczno;1
c2;40000;435;Dron z kamerą termowizyjną dla Gminy Świecie;1
c3;20000;434;Zakup sprzętu do ratownictwa wodnego dla OSP Ratownik;1
c4;80000;314;Street Workout Park w Kozłowie;1
c5;34000;177;Remont schodów wymiana drzwi wewnętrznych malowanie korytarza zainstalowanie oświetlenia zaślepienie gzymsów w budynku Sali Wiejskiej w Kosowie;1
c6;106788;119;Kapitalny remont pomieszczeń sanitarnych i hallu oraz pomieszczeń magazynowych;0
c7;30000;285;Szlak murali ARCHITEKCI NASZEJ CODZIENNOŚCI;1
c8;413000;623;Naprawa i modernizacja pomostu nad Jeziorem Deczno;0
c9;55000;391;Zielone i przyjazne Przechowo (zagospodarowanie skweru przy rondzie i szkole podstawowej);1
c10;39000;610;Sterylizacja suk z terenów wiejskich;1
c11;37387;308;Miej serce- ratuj serce!;1
c12;150000;1030;Modernizacja kojców w schronisku dla zwierząt w celu poprawy warunków psów tam przebywających;1
c13;45000;364;Rozwój mediów/telewizji klubowej KS WDA Świecie;1
c14;28550;92;Strategia wsparcia rodzin przeżywających trudności po doświadczeniach związanych z pandemią;1
c15;80000;272;Aktywnie w szkole aktywnie po szkole Aranżacja przestrzeni przed budynkiem Szkoły Podstawowej w Terespolu Pomorskim;0
c16;150000;279;Więcej parku w przyszpitalnych terenach zielonych;0
c17;39000;139;Wykonanie drewnianej altany wolnostojącej z dachem dwuspadowym wraz z wyłożeniem terenu polbrukiem oraz zakup mebli ogrodowych;1
c18;25000;119;Wydanie albumu książkowego ŚWIECKA SZTUKA;1
c19;36500;190;Modernizacja wejścia do świetlicy wiejskiej w Topolinku;1
c20;21900;531;Zakup sprzętu szkoleniowego dla OSP w Świeciu- Przechowo;1
c21;291000;501;Zakup samochodu pożarniczego (operacyjnego) 9-cio osobowego;1
c22;482037;375;Modernizacja ciągów komunikacyjnych na terenie Klubu Sportowego WDA Świecie;0
VOTES
voter_id;vote
v1;c1,c2,c11,c21,c20
v2;c2,c11,c22,c13
v3;c6,c22,c13
v4;c22,c13,c14
v5;c2,c22,c13
v6;c11,c22,c13,c18
v7;c22,c13,c14
v8;c22,c13,c4
v9;c15,c4,c16,c21
v10;c22,c13,c14
v11;c22,c5,c13
v12;c22,c13,c3
v13;c2,c22,c13
v14;c22,c13,c14
v15;c22,c13,c4
v16;c2,c22,c13
v17;c22,c13,c14
v18;c12,c10,c16
v19;c22,c13,c14
v20;c22,c13,c21
