/* test_pabulib.c - the Pabulib reader: the four real files, the syntax it must
 * accept (CRLF, BOM, quotes, extra columns, column order, blank lines) and a
 * table of malformed inputs, each refused with its line named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bn_err.h"
#include "pabulib.h"
#include "testutil.h"

static pb_t *parse_ok(const char *text)
{
    char why[512] = "";
    pb_t *pb = NULL;
    int rc = pb_parse(text, strlen(text), "t.pb", &pb, why, sizeof(why));

    if (rc != 0)
        fail_msg("pb_parse: %d %s\n%s", rc, why, text);
    assert_non_null(pb);
    return pb;
}

/* ---- the real files ---------------------------------------------------------- */

typedef struct real_s {
    const char *file;
    int voters, projects;
    int64_t budget;
    const char *rule;
    int min_length, max_length;
} real_t;

static const real_t reals[] = {
    { "pabulib/Poland_Swiecie_2023.pb", 2553, 22, 1070000, "equalshares/add1", 0, -1 },
    { "pabulib/Netherlands_Assen_2024.pb", 84, 14, 100000, "equalshares/add1", 2, -1 },
    { "pabulib/Poland_Warszawa_2017_Aleksandrow.pb", 422, 5, 110411, "greedy", 1, -1 },
    { "pabulib/France_Toulouse_2022_Capitole.pb", 972, 10, 400000, "greedy", 1, 3 },
};

static void test_real_files(void **state)
{
    size_t f;
    int i;
    (void)state;

    for (f = 0; f < sizeof(reals) / sizeof(reals[0]); f++) {
        char *path = tu_vector(reals[f].file), why[512] = "";
        pb_t *pb = NULL;
        int rc = pb_load(path, &pb, why, sizeof(why));

        if (rc != 0)
            fail_msg("%s: %d %s", path, rc, why);
        assert_int_equal(pb->n_voters, reals[f].voters);
        assert_int_equal(pb->n_projects, reals[f].projects);
        assert_int_equal(pb->budget, reals[f].budget);
        assert_string_equal(pb->rule, reals[f].rule);
        assert_int_equal(pb->min_length, reals[f].min_length);
        assert_int_equal(pb->max_length, reals[f].max_length);
        for (i = 0; i < pb->n_projects; i++) {
            /* the file's votes column agrees with the ballots */
            assert_true(pb->projects[i].votes_col >= 0);
            assert_int_equal(pb->projects[i].votes, pb->projects[i].votes_col);
            assert_true(pb->projects[i].cost > 0);
        }
        assert_int_equal(pb->vote_off[pb->n_voters], pb->vote_off[pb->n_voters]);
        pb_free(pb);
        free(path);
    }
}

static void test_toulouse_decimal_costs(void **state)
{
    char *path = tu_vector("pabulib/France_Toulouse_2022_Capitole.pb"), why[256] = "";
    pb_t *pb = NULL;
    int i;
    (void)state;

    assert_int_equal(pb_load(path, &pb, why, sizeof(why)), 0);
    /* "13;4000.0;14;..." and "budget;400000.0" */
    i = pb_find(pb, "13");
    assert_true(i >= 0);
    assert_int_equal(pb->projects[i].cost, 4000);
    assert_int_equal(pb->projects[i].votes, 14);
    assert_int_equal(pb->projects[i].selected, -1);
    pb_free(pb);
    free(path);
}

/* ---- syntax that must be accepted --------------------------------------------- */

static void test_crlf_bom_quotes_extra_columns(void **state)
{
    const char *text =
        "\xEF\xBB\xBF" "META\r\n"
        "key;value\r\n"
        "description;\"Budget; with \"\"quotes\"\"\"\r\n"
        "budget;1000.00\r\n"
        "\r\n"
        "vote_type;approval\r\n"
        "rule;greedy\r\n"
        "PROJECTS\r\n"
        "name;cost;extra;project_id;selected\r\n"
        "\"Park; north\";300;x;p1;1\r\n"
        "\"A long\r\ndescription\";200;y;\"p2\";0\r\n"
        "Third;100;z;p3;0\r\n"
        "VOTES\r\n"
        "age;vote;voter_id\r\n"
        "30;\"p1,p2\";a\r\n"
        "31; p3 , p1 ;b\r\n"
        "32;;c\r\n";
    pb_t *pb = parse_ok(text);
    (void)state;

    assert_int_equal(pb->budget, 1000);
    assert_string_equal(pb->rule, "greedy");
    assert_int_equal(pb->n_projects, 3);
    assert_string_equal(pb->projects[0].id, "p1");
    assert_string_equal(pb->projects[1].id, "p2");
    assert_int_equal(pb->projects[0].cost, 300);
    assert_int_equal(pb->projects[0].selected, 1);
    assert_int_equal(pb->projects[0].votes_col, -1);
    assert_int_equal(pb->n_voters, 3);
    assert_int_equal(pb->vote_off[1] - pb->vote_off[0], 2);
    assert_int_equal(pb->vote_off[2] - pb->vote_off[1], 2);
    assert_int_equal(pb->vote_off[3] - pb->vote_off[2], 0);   /* empty vote: no min_length */
    /* ballots are sorted by project index */
    assert_int_equal(pb->vote_items[pb->vote_off[1]], 0);
    assert_int_equal(pb->vote_items[pb->vote_off[1] + 1], 2);
    assert_int_equal(pb->projects[0].votes, 2);
    assert_int_equal(pb->projects[2].votes, 1);
    pb_free(pb);
}

static void test_lf_no_trailing_newline(void **state)
{
    pb_t *pb = parse_ok("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nx;1");
    (void)state;

    assert_int_equal(pb->n_voters, 1);
    assert_null(pb->rule);
    assert_int_equal(pb->min_length, 0);
    assert_int_equal(pb->max_length, -1);
    pb_free(pb);
}

static void test_sort_ids(void **state)
{
    pb_t *pb = parse_ok("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n10;1\n9;1\n100;1\n011;1\n"
                        "VOTES\nvoter_id;vote\n");
    pb_t *pc = parse_ok("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nc10;1\nc9;1\nc1;1\n"
                        "VOTES\nvoter_id;vote\n");
    int idx[4] = { 0, 1, 2, 3 }, rank[4];
    (void)state;

    pb_sort_ids(pb, idx, 4);          /* numeric: 9, 10, 011, 100 */
    assert_string_equal(pb->projects[idx[0]].id, "9");
    assert_string_equal(pb->projects[idx[1]].id, "10");
    assert_string_equal(pb->projects[idx[2]].id, "011");
    assert_string_equal(pb->projects[idx[3]].id, "100");
    idx[0] = 0, idx[1] = 1, idx[2] = 2;
    pb_sort_ids(pc, idx, 3);          /* bytewise: c1, c10, c9 */
    assert_string_equal(pc->projects[idx[0]].id, "c1");
    assert_string_equal(pc->projects[idx[1]].id, "c10");
    assert_string_equal(pc->projects[idx[2]].id, "c9");
    pb_id_ranks(pc, rank);
    assert_int_equal(rank[0], 1);
    assert_int_equal(rank[1], 2);
    assert_int_equal(rank[2], 0);
    pb_free(pb);
    pb_free(pc);
}

/* ---- malformed input: one line each ------------------------------------------- */

#define HEAD "META\nkey;value\nbudget;100\n"
#define PROJ "PROJECTS\nproject_id;cost\n1;10\n2;20\n"
#define VOTE "VOTES\nvoter_id;vote\n"

typedef struct bad_s {
    const char *text;
    int code;
    const char *why;    /* a substring of the message */
} bad_t;

static const bad_t bads[] = {
    { "META\nkey;value\nbudget;12a\n" PROJ VOTE, BN_EFORMAT, "t.pb:3: budget: '12a' is not an integer" },
    { HEAD PROJ VOTE "a;1\nb;17\n", BN_EFORMAT, "t.pb:11: project '17' in vote is unknown" },
    { HEAD "PROJECTS\nproject_id;cost\n1;10\n1;20\n" VOTE, BN_EFORMAT, "t.pb:7: duplicate project_id '1'" },
    { HEAD PROJ VOTE "a;1\na;2\n", BN_EFORMAT, "t.pb:11: duplicate voter_id 'a'" },
    { HEAD PROJ, BN_EFORMAT, "missing section VOTES" },
    { HEAD, BN_EFORMAT, "missing section PROJECTS" },
    { "", BN_EFORMAT, "missing section META" },
    { "hello\n" HEAD PROJ VOTE, BN_EFORMAT, "t.pb:1: file must start with the META section" },
    { HEAD "vote_type;borda\n" PROJ VOTE, BN_EFORMAT, "t.pb:4: vote_type 'borda' is not one of approval, choose-1, cumulative, scoring, ordinal" },
    { HEAD "PROJECTS\nproject_id;cost\n1;10.5\n" VOTE, BN_EFORMAT, "t.pb:6: cost: '10.5' is not a whole amount" },
    { HEAD "PROJECTS\nproject_id;cost\n1;-3\n" VOTE, BN_EFORMAT, "t.pb:6: cost: '-3' is not an integer" },
    { HEAD "PROJECTS\nproject_id;cost\n1;0\n" VOTE, BN_EFORMAT, "t.pb:6: cost of project is zero" },
    { HEAD "PROJECTS\nproject_id;cost\n1;2000000000000\n" VOTE, BN_ETOOBIG, "t.pb:6: cost: '2000000000000' is above" },
    { HEAD "PROJECTS\nproject_id;votes\n1;10\n" VOTE, BN_EFORMAT, "t.pb:5: PROJECTS header needs columns" },
    { HEAD PROJ "VOTES\nvoter_id;ballot\n", BN_EFORMAT, "t.pb:9: VOTES header needs columns" },
    { "META\nk;v\n", BN_EFORMAT, "t.pb:2: META header needs columns 'key' and 'value'" },
    { "META\nkey;value\nrule;greedy\n" PROJ VOTE, BN_EFORMAT, "t.pb:4: META has no budget" },
    { HEAD "budget;5\n" PROJ VOTE, BN_EFORMAT, "t.pb:4: META key given twice: 'budget'" },
    { HEAD VOTE PROJ, BN_EFORMAT, "t.pb:4: sections must come in the order" },
    { HEAD PROJ "PROJECTS\n" VOTE, BN_EFORMAT, "t.pb:8: sections must come in the order META, PROJECTS, VOTES, once each; unexpected 'PROJECTS'" },
    { HEAD "PROJECTS\nVOTES\n", BN_EFORMAT, "t.pb:5: section header line missing before 'VOTES'" },
    { HEAD PROJ "META\n" VOTE, BN_EFORMAT, "t.pb:8: sections must come in the order" },
    { HEAD "min_length;1\n" PROJ VOTE "a;1\nb;\n", BN_EFORMAT, "t.pb:12: vote of 0 projects, below min_length 1" },
    { HEAD "max_length;1\n" PROJ VOTE "a;1,2\n", BN_EFORMAT, "t.pb:11: vote of 2 projects, above max_length 1" },
    { HEAD PROJ VOTE "a;1,1\n", BN_EFORMAT, "t.pb:10: project '1' twice in one vote" },
    { HEAD PROJ VOTE "a;1,,2\n", BN_EFORMAT, "t.pb:10: empty project id in vote" },
    { HEAD PROJ VOTE "a;\"1,2\n", BN_EFORMAT, "t.pb:10: quoted field not closed" },
    { HEAD PROJ VOTE "a;\"1\"x\n", BN_EFORMAT, "t.pb:10: text after a closing quote" },
    { HEAD PROJ VOTE "a\n", BN_EFORMAT, "t.pb:10: VOTES row has too few fields" },
    { HEAD "PROJECTS\nproject_id;cost\n1\n" VOTE, BN_EFORMAT, "t.pb:6: PROJECTS row has too few fields" },
    { HEAD "PROJECTS\nproject_id;cost\n;5\n" VOTE, BN_EFORMAT, "t.pb:6: empty project_id" },
    { HEAD "PROJECTS\nproject_id;cost\n\"a,b\";5\n" VOTE, BN_EFORMAT, "t.pb:6: project_id contains a comma" },
    { HEAD PROJ VOTE ";1\n", BN_EFORMAT, "t.pb:10: empty voter_id" },
    { HEAD "PROJECTS\nproject_id;cost;cost\n" VOTE, BN_EFORMAT, "t.pb:5: column named twice" },
    { HEAD "caf\xC3;x\n" PROJ VOTE, BN_EFORMAT, "t.pb:4: not valid UTF-8" },
    { HEAD "min_length;x\n" PROJ VOTE, BN_EFORMAT, "t.pb:4: min_length: 'x' is not an integer" },
    { HEAD "PROJECTS\nproject_id;cost;votes\n1;10;many\n" VOTE, BN_EFORMAT, "t.pb:6: votes: 'many' is not an integer" },
    { HEAD "PROJECTS\nproject_id;cost\n" VOTE, BN_EFORMAT, "t.pb:6: PROJECTS section is empty" },
    { HEAD PROJ "VOTES\n", BN_EFORMAT, "missing header line of section VOTES" },
};

static void test_bad_inputs(void **state)
{
    size_t i;
    int failed = 0;
    (void)state;

    for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        char why[512] = "";
        pb_t *pb = (pb_t *)1;
        int rc = pb_parse(bads[i].text, strlen(bads[i].text), "t.pb", &pb, why, sizeof(why));

        if (rc != bads[i].code || strstr(why, bads[i].why) == NULL || pb != NULL) {
            print_error("case %zu: rc %d (want %d), why '%s' (want '%s')\n", i, rc, bads[i].code, why, bads[i].why);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void test_nul_byte(void **state)
{
    const char text[] = "META\nkey;value\nbudget;1\0" "0\n";
    char why[256] = "";
    pb_t *pb = NULL;
    (void)state;

    assert_int_equal(pb_parse(text, sizeof(text) - 1, "t.pb", &pb, why, sizeof(why)), BN_EFORMAT);
    assert_non_null(strstr(why, "t.pb:3: NUL byte"));
}

static void test_record_too_long(void **state)
{
    size_t n = PB_MAX_RECORD + 100, h = strlen(HEAD);
    char *text = malloc(h + n + 2), why[256] = "";
    pb_t *pb = NULL;
    (void)state;

    assert_non_null(text);
    memcpy(text, HEAD, h);
    memset(text + h, 'x', n);
    memcpy(text + h + n, "\n", 2);
    assert_int_equal(pb_parse(text, h + n + 1, "t.pb", &pb, why, sizeof(why)), BN_ETOOBIG);
    assert_non_null(strstr(why, "t.pb:4: record longer than 1 MiB"));
    free(text);
}

static void test_null_args_and_missing_file(void **state)
{
    char why[256] = "";
    pb_t *pb = NULL;
    (void)state;

    assert_int_equal(pb_parse(NULL, 0, "x", &pb, why, sizeof(why)), BN_EINVAL);
    assert_int_equal(pb_parse("", 0, "x", NULL, why, sizeof(why)), BN_EINVAL);
    assert_int_equal(pb_load("/nonexistent/file.pb", &pb, why, sizeof(why)), BN_EIO);
    assert_null(pb);
    assert_non_null(strstr(why, "/nonexistent/file.pb"));
    pb_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_toulouse_decimal_costs),
        cmocka_unit_test(test_crlf_bom_quotes_extra_columns),
        cmocka_unit_test(test_lf_no_trailing_newline),
        cmocka_unit_test(test_sort_ids),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_record_too_long),
        cmocka_unit_test(test_null_args_and_missing_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
