/* publish_html.c - the results page: French and English, winners
 * highlighted, votes per project as inline SVG bar charts; no script, no
 * external resource, so that the file can be read offline and archived. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "hex.h"
#include "publish_int.h"

enum { FR = 0, EN = 1 };

/* The page's sentences, [FR] and [EN]. */
static const char *const S[][2] = {
#define T_RESULTS 0
    {"Résultats", "Results"},
#define T_PROVISIONAL 1
    {"RÉSULTATS PROVISOIRES — non certifiés : la vérification a relevé des problèmes "
     "(voir verification.txt)", "PROVISIONAL RESULTS — not certified: the verification found "
     "problems (see verification.txt)"},
#define T_RULE 2
    {"Règle de comptage", "Counting rule"},
#define T_BALLOTS 3
    {"Bulletins comptés", "Ballots counted"},
#define T_TURNOUT 4
    {"Participation par territoire", "Turnout per territory"},
#define T_TERRITORY 5
    {"Territoire", "Territory"},
#define T_COMMUNE 6
    {"Les participants par commune sont les totaux que chaque borne a signés à la clôture "
     "(rapport de clôture : combien de participants de chaque commune), additionnés sur toutes "
     "les bornes ; ni la liste d'émargement ni les bulletins ne portent la commune. Pour que le "
     "secret soit gardé dans les petites communes, une commune de moins de 10 participants est "
     "indiquée « moins de 10 », sans son nombre ; « masqué » désigne une commune d'au moins 10 "
     "participants dont le nombre n'est pas publié, pour que celui d'une commune plus petite ne "
     "se déduise pas du total du territoire.",
     "Participants per commune are the totals each kiosk signed when it closed (its closing "
     "report: how many participants of each commune), added up over all kiosks; neither the "
     "register nor the ballots carry the commune. So that secrecy holds in small communes, a "
     "commune with fewer than 10 participants is shown as “fewer than 10”, "
     "without its number; “hidden” marks a commune of at least 10 participants "
     "whose number is not published, so that a smaller commune's cannot be worked out from "
     "the territory total."},
#define T_ENVELOPE 7
    {"Enveloppe", "Envelope"},
#define T_FUNDED 8
    {"Projets financés", "Funded projects"},
#define T_PROJECT 9
    {"Projet", "Project"},
#define T_COST 10
    {"Coût", "Cost"},
#define T_VOTES 11
    {"Voix", "Votes"},
#define T_SELECTED 12
    {"Financé", "Funded"},
#define T_YES 13
    {"oui", "yes"},
#define T_NO 14
    {"non", "no"},
#define T_HOW 15
    {"Comment vérifier", "How to verify"},
#define T_HOW1 16
    {"Chaque bulletin a été vérifié : certificat de la borne délivré par l'autorité, borne non "
     "révoquée, signature du lot, signature de chaque bulletin, conformité au paquet de "
     "campagne ; le rapport de clôture de chaque borne a été rapproché des bulletins reçus "
     "(nombre et empreinte de l'ensemble). Le détail est dans <a href=\"verification.txt\">"
     "verification.txt</a>.",
     "Every ballot was verified: the kiosk's certificate issued by the authority, the kiosk not "
     "revoked, the bundle's signature, each ballot's signature, its conformity to the campaign "
     "package; each kiosk's closing report was reconciled with the ballots received (count and "
     "digest of the set). The details are in <a href=\"verification.txt\">verification.txt</a>."},
#define T_HOW2 17
    {"Les bulletins anonymisés de chaque territoire, dans un ordre aléatoire, sont publiés au "
     "format Pabulib (fichiers <code>ballots-TERRITOIRE.pb</code>) : n'importe quel outil "
     "Pabulib peut refaire le comptage. <code>borne-tally check DOSSIER</code> recalcule tous "
     "les chiffres de cette page à partir de ces fichiers et de <a href=\"results.json\">"
     "results.json</a>.",
     "The anonymised ballots of each territory, in a random order, are published in the "
     "Pabulib format (files <code>ballots-TERRITORY.pb</code>): any Pabulib tool can redo the "
     "count. <code>borne-tally check FOLDER</code> recomputes every figure of this page from "
     "those files and <a href=\"results.json\">results.json</a>."},
#define T_HOW3 18
    {"Votre reçu porte un code de suivi : s'il figure dans <a href=\"tracking-codes.txt\">"
     "tracking-codes.txt</a> (liste triée), votre bulletin a été compté. Le code ne révèle pas "
     "vos choix.",
     "Your receipt carries a tracking code: if it is in <a href=\"tracking-codes.txt\">"
     "tracking-codes.txt</a> (a sorted list), your ballot was counted. The code does not reveal "
     "your choices."},
#define T_NOCODES 19
    {"La liste des codes de suivi n'est pas publiée avec ces résultats.",
     "The list of tracking codes is not published with these results."},
#define T_CHART 20
    {"Voix par projet", "Votes per project"},
#define T_STATUS 21
    {"Résultats certifiés", "Certified results"},
#define T_PACKAGE 22
    {"Empreinte SHA-256 du paquet de campagne", "SHA-256 of the campaign package"},
#define T_PROVISIONAL_ASKED 23
    {"RÉSULTATS PROVISOIRES — non certifiés : publication provisoire demandée",
     "PROVISIONAL RESULTS — not certified: a provisional publication was asked for"},
#define T_PARTICIPANTS 24
    {"Participants", "Participants"},
#define T_PER_COMMUNE 25
    {"Participation par commune", "Turnout per commune"},
#define T_FEWER 26
    {"moins de 10", "fewer than 10"},
#define T_HIDDEN 27
    {"masqué", "hidden"},
#define T_TOTAL 28
    {"Total du territoire", "Territory total"},
#define T_UNKNOWN 29
    {"Participants dont la commune n'est pas connue (bornes sans rapport de clôture, ou dont "
     "le rapport ne donne pas les communes)", "Participants whose commune is not known (kiosks "
     "without a closing report, or whose report gives no communes)"},
#define T_COMMUNE_H 30
    {"Commune", "Commune"},
#define T_INSEE 31
    {"Code INSEE", "INSEE code"},
#define T_ALL 32
    {"Participants, tous territoires", "Participants, all territories"},
#define T_INCOMPLETE 33
    {"Participation incomplète : des bornes n'ont pas donné leurs participants par commune ; "
     "ces chiffres sont provisoires.", "Turnout incomplete: some kiosks did not give their "
     "participants per commune; these figures are provisional."},
};

/* French puts a (narrow no-break) space before a colon, English does not. */
static const char *const COLON[2] = {"\xe2\x80\xaf: ", ": "};

static const char *rule_words[][2] = {
    {"vote par approbation, projets les plus soutenus financés tant que l'enveloppe le permet "
     "(greedy)", "approval vote, most supported projects funded while the envelope allows (greedy)"},
    {"méthode des parts égales (equalshares)", "Method of Equal Shares (equalshares)"},
    {"méthode des parts égales, complétée « add one » (equalshares/add1)",
     "Method of Equal Shares with the add-one completion (equalshares/add1)"},
};

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* At most `max` characters of UTF-8 text, escaped, with an ellipsis if cut. */
static void esc_cut(FILE *f, const char *s, int max)
{
    char buf[512];
    size_t i = 0;
    int chars = 0;

    while (s[i] != '\0' && i < sizeof buf - 4) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
            break;
        buf[i] = s[i];
        i++;
    }
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)  /* not inside a character */
        i--;
    buf[i] = '\0';
    esc(f, buf);
    if (s[i] != '\0')
        fputs("…", f);
}

/* 1234567 as "1 234 567" (narrow no-break spaces) or "1,234,567". */
static void num(FILE *f, int64_t v, int lang)
{
    char d[32];
    int n, i;

    n = snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? -v : v));
    if (v < 0)
        fputc('-', f);
    for (i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            fputs(lang == FR ? "\xe2\x80\xaf" : ",", f);
        fputc(d[i], f);
    }
}

static void money(FILE *f, int64_t v, int lang)
{
    if (lang == EN)
        fputs("€", f);
    num(f, v, lang);
    if (lang == FR)
        fputs("\xe2\x80\xaf€", f);
}

static const char *txt(const pkg_t *p, const pkg_text_t *t, int lang)
{
    const char *s = t->s[pkg_lang(p, lang == FR ? "fr" : "en")];

    return s != NULL ? s : "";
}

/* Order of the chart: votes descending, then id order. */
static const tally_terr_t *sort_tt;

static int cmp_votes(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    if (sort_tt->score[x] != sort_tt->score[y])
        return sort_tt->score[x] > sort_tt->score[y] ? -1 : 1;
    return x - y;
}

static void chart(FILE *f, const pkg_t *p, const tally_terr_t *tt, const int *order, int lang)
{
    const int row = 30, label = 330, bars = 330, width = label + bars + 90;
    int64_t max = 1;
    int i;

    for (i = 0; i < tt->n_projects; i++)
        if (tt->score[i] > max)
            max = tt->score[i];
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" aria-labelledby=\"c%d-%s\">", width, row * tt->n_projects + 10,
            width, row * tt->n_projects + 10, lang, p->territories[tt->territory].id);
    fprintf(f, "<title id=\"c%d-%s\">%s — ", lang, p->territories[tt->territory].id, S[T_CHART][lang]);
    esc(f, txt(p, &p->territories[tt->territory].name, lang));
    fputs("</title>\n", f);
    for (i = 0; i < tt->n_projects; i++) {
        int k = order[i], y = 5 + i * row;
        int w = (int)((tt->score[k] * bars) / max);
        const pkg_project_t *pr = &p->projects[tt->projects[k]];

        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"%s\">", label - 8, y + 17,
                tt->selected[k] ? "lw" : "l");
        if (tt->selected[k])
            fputs("✔ ", f);
        esc_cut(f, txt(p, &pr->title, lang), 40);
        fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" class=\"%s\"/>",
                label, y + 3, w < 1 ? 1 : w, tt->selected[k] ? "bw" : "b");
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"v\">", label + w + 6, y + 17);
        num(f, tt->score[k], lang);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

/* (TURNOUT-T1) (TURNOUT-T2) The communes of territory t: a count only for those shown. */
static void turnout_table(FILE *f, const pkg_t *p, const turnout_t *tu, int t, int lang)
{
    int k;

    fprintf(f, "<h4>%s — ", S[T_PER_COMMUNE][lang]);
    esc(f, txt(p, &p->territories[t].name, lang));
    fprintf(f, "</h4>\n<table class=\"turnout\"><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            S[T_COMMUNE_H][lang], S[T_INSEE][lang], S[T_PARTICIPANTS][lang]);
    for (k = 0; k < p->n_communes; k++) {
        const turnout_commune_t *tc = &tu->communes[k];

        if (pkg_commune_territory(p, k) != t)
            continue;
        fputs("<tr><td>", f);
        esc(f, p->communes[k].name);
        fprintf(f, "</td><td><code>%s</code></td>", p->communes[k].insee);
        if (tc->shown == TURNOUT_SHOWN) {
            fputs("<td class=\"n\">", f);
            num(f, tc->participants, lang);
        } else {
            fprintf(f, "<td class=\"n hid\">%s", S[tc->shown == TURNOUT_FEWER ? T_FEWER : T_HIDDEN][lang]);
        }
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "<tr class=\"tot\"><td colspan=\"2\">%s</td><td class=\"n\">", S[T_TOTAL][lang]);
    num(f, tu->terr[t].participants, lang);
    fputs("</td></tr>\n</table>\n", f);
}

static int lang_section(FILE *f, const verify_t *v, const tally_count_t *c,
                        const publish_opts_t *po, int lang)
{
    const pkg_t *p = v->pkg;
    int t, i, *order;

    fprintf(f, "<section id=\"%s\" lang=\"%s\">\n<h2>%s</h2>\n", lang == FR ? "fr" : "en",
            lang == FR ? "fr" : "en", S[T_RESULTS][lang]);
    if (po->provisional)
        fprintf(f, "<p class=\"prov\">%s</p>\n", S[v->n_problems ? T_PROVISIONAL : T_PROVISIONAL_ASKED][lang]);
    else
        fprintf(f, "<p class=\"ok\">%s</p>\n", S[T_STATUS][lang]);
    fprintf(f, "<p>%s%s%s.<br>%s%s", S[T_RULE][lang], COLON[lang], rule_words[c->rule - 1][lang],
            S[T_BALLOTS][lang], COLON[lang]);
    num(f, c->ballots, lang);
    fputs(".</p>\n", f);
    fprintf(f, "<h3>%s</h3>\n<table><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            S[T_TURNOUT][lang], S[T_TERRITORY][lang], S[T_BALLOTS][lang], S[T_PARTICIPANTS][lang]);
    for (t = 0; t < c->n_terr; t++) {
        fputs("<tr><td>", f);
        esc(f, txt(p, &p->territories[c->terr[t].territory].name, lang));
        fputs("</td><td class=\"n\">", f);
        num(f, c->terr[t].n_ballots, lang);
        fputs("</td><td class=\"n\">", f);
        num(f, c->turnout.terr[c->terr[t].territory].participants, lang);
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "</table>\n<p>%s%s", S[T_ALL][lang], COLON[lang]);
    num(f, c->turnout.participants, lang);
    fputs(". ", f);
    fprintf(f, "%s%s", S[T_UNKNOWN][lang], COLON[lang]);
    num(f, c->turnout.unknown_entries, lang);
    fputs(".</p>\n", f);
    if (!c->turnout.complete)
        fprintf(f, "<p class=\"prov\">%s</p>\n", S[T_INCOMPLETE][lang]);
    fprintf(f, "<p>%s</p>\n", S[T_COMMUNE][lang]);
    for (t = 0; t < c->n_terr; t++)
        turnout_table(f, p, &c->turnout, c->terr[t].territory, lang);
    for (t = 0; t < c->n_terr; t++) {
        const tally_terr_t *tt = &c->terr[t];

        if ((order = malloc(((size_t)tt->n_projects + 1) * sizeof(int))) == NULL)
            return BN_ENOMEM;
        for (i = 0; i < tt->n_projects; i++)
            order[i] = i;
        sort_tt = tt;
        qsort(order, (size_t)tt->n_projects, sizeof(int), cmp_votes);
        fputs("<h3>", f);
        esc(f, txt(p, &p->territories[tt->territory].name, lang));
        fprintf(f, "</h3>\n<p>%s%s", S[T_ENVELOPE][lang], COLON[lang]);
        money(f, p->territories[tt->territory].envelope, lang);
        fprintf(f, " — %s%s", S[T_BALLOTS][lang], COLON[lang]);
        num(f, tt->n_ballots, lang);
        fprintf(f, "</p>\n<p><strong>%s%s</strong>", S[T_FUNDED][lang], COLON[lang]);
        for (i = 0; i < tt->n_projects; i++)
            if (tt->selected[order[i]]) {
                fputs("<span class=\"win\">", f);
                esc(f, txt(p, &p->projects[tt->projects[order[i]]].title, lang));
                fputs("</span> ", f);
            }
        fputs("</p>\n", f);
        chart(f, p, tt, order, lang);
        fprintf(f, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                S[T_PROJECT][lang], S[T_COST][lang], S[T_VOTES][lang], S[T_SELECTED][lang]);
        for (i = 0; i < tt->n_projects; i++) {
            int k = order[i];

            fprintf(f, "<tr%s><td>", tt->selected[k] ? " class=\"win\"" : "");
            esc(f, txt(p, &p->projects[tt->projects[k]].title, lang));
            fputs(" <code>", f);
            esc(f, p->projects[tt->projects[k]].id);
            fputs("</code></td><td class=\"n\">", f);
            money(f, p->projects[tt->projects[k]].cost, lang);
            fputs("</td><td class=\"n\">", f);
            num(f, tt->score[k], lang);
            fprintf(f, "</td><td>%s</td></tr>\n", S[tt->selected[k] ? T_YES : T_NO][lang]);
        }
        fputs("</table>\n", f);
        free(order);
    }
    fprintf(f, "<h3>%s</h3>\n<ol><li>%s</li><li>%s</li><li>%s</li></ol>\n", S[T_HOW][lang],
            S[T_HOW1][lang], S[T_HOW2][lang], po->track_key != NULL ? S[T_HOW3][lang] :
            S[T_NOCODES][lang]);
    fputs("</section>\n", f);
    return 0;
}

int publish__html(const char *dir, const verify_t *v, const tally_count_t *c,
                  const publish_opts_t *po, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    char *path, hex[65];
    FILE *f;
    int rc, bad;

    if ((path = malloc(strlen(dir) + 16)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    sprintf(path, "%s/index.html", dir);
    if ((f = fopen(path, "wb")) == NULL) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    hex_encode(p->digest, 32, hex);
    fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    if (po->provisional)
        fputs("[PROVISOIRE / PROVISIONAL] ", f);
    esc(f, txt(p, &p->title, FR));
    fputs(" — Résultats / Results</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:1em auto;"
          "padding:0 1em;color:#111;line-height:1.45}\n"
          "h1{font-size:1.6em}h2{border-bottom:3px solid #1b4f8a;padding-bottom:.2em}\n"
          "table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #bbb;"
          "padding:.25em .6em;text-align:left}td.n{text-align:right}\n"
          "tr.win td{background:#e3f4e8;font-weight:bold}.win{font-weight:bold;color:#14632e}\n"
          "span.win{display:inline-block;background:#e3f4e8;border-radius:.3em;padding:0 .4em;"
          "margin:.1em}\n"
          ".prov{background:#fff1c2;border:3px solid #b07700;padding:.6em;font-weight:bold}\n"
          ".ok{background:#e3f4e8;border:1px solid #14632e;padding:.4em}\n"
          "svg{max-width:100%;height:auto;display:block;margin:.5em 0}\n"
          "svg text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:13px;fill:#111}\n"
          "svg text.lw{font-weight:bold;fill:#14632e}svg rect.b{fill:#8aa0b8}"
          "svg rect.bw{fill:#1b7f3b}\n"
          "nav a{margin-right:1em}code{font-size:.9em;color:#444}\n"
          "h4{margin:1em 0 .2em}td.hid{font-style:italic;color:#444}"
          "tr.tot td{font-weight:bold;border-top:2px solid #555}\n"
          "</style>\n</head>\n<body>\n", f);
    if (po->provisional)
        fprintf(f, "<p class=\"prov\">%s<br>%s</p>\n", S[v->n_problems ? T_PROVISIONAL : T_PROVISIONAL_ASKED][FR],
                S[v->n_problems ? T_PROVISIONAL : T_PROVISIONAL_ASKED][EN]);
    fputs("<header><h1>", f);
    esc(f, txt(p, &p->title, FR));
    if (strcmp(txt(p, &p->title, EN), txt(p, &p->title, FR)) != 0) {
        fputs("<br><span lang=\"en\">", f);
        esc(f, txt(p, &p->title, EN));
        fputs("</span>", f);
    }
    fprintf(f, "</h1>\n<nav><a href=\"#fr\">Français</a><a href=\"#en\" lang=\"en\">English</a>"
            "<a href=\"results.json\">results.json</a><a href=\"verification.txt\">"
            "verification.txt</a></nav>\n<p><small>%s / %s\xe2\x80\xaf: <code>%s</code></small></p>"
            "</header>\n", S[T_PACKAGE][FR], S[T_PACKAGE][EN], hex);
    if ((rc = lang_section(f, v, c, po, FR)) == 0)
        rc = lang_section(f, v, c, po, EN);
    fputs("</body>\n</html>\n", f);
    bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (rc == 0 && bad)
        rc = bn_fail(why, whylen, BN_EIO, "%s: write failed", path);
    else if (rc != 0)
        bn_fail(why, whylen, rc, "out of memory");
    free(path);
    return rc;
}
