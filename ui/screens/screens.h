/* screens.h - one draw function and one action function per screen
 * (ui/screens/NAME.c). draw fills a->dl; act applies a control's action
 * (or ACT_BACK for Escape) and moves to the next state. */
#ifndef SCREENS_H
#define SCREENS_H

#include "app.h"

void scr_welcome_draw(app_t *a);
void scr_welcome_act(app_t *a, int act);
void scr_identity_draw(app_t *a);
void scr_identity_act(app_t *a, int act);
void scr_identity_char(app_t *a, const char *utf8);
void scr_projects_draw(app_t *a);
void scr_projects_act(app_t *a, int act);
void scr_detail_draw(app_t *a);
void scr_detail_act(app_t *a, int act);
void scr_review_draw(app_t *a);
void scr_review_act(app_t *a, int act);
void scr_receipt_draw(app_t *a);
void scr_receipt_act(app_t *a, int act);
void scr_message_draw(app_t *a);
void scr_message_act(app_t *a, int act);
void scr_outofservice_draw(app_t *a);
void scr_outofservice_act(app_t *a, int act);
void scr_petitions_draw(app_t *a);
void scr_petitions_act(app_t *a, int act);
void scr_petition_draw(app_t *a);
void scr_petition_act(app_t *a, int act);
void scr_consent_draw(app_t *a);
void scr_consent_act(app_t *a, int act);
void scr_closed_draw(app_t *a);
void scr_closed_act(app_t *a, int act);
/* agent.c: the agents' screens (their actions: agent_act, ui/agent.c) */
void scr_pin_draw(app_t *a);
void scr_agent_draw(app_t *a);
void scr_report_draw(app_t *a);
void scr_status_draw(app_t *a);
void scr_export_draw(app_t *a);
void scr_deskcode_draw(app_t *a);
/* textkb.c: the free-text keyboard (ideas, a questionnaire's text question) */
typedef struct textkb_s {
    char *f;                    /* the field */
    size_t cap;                 /* its bytes, the NUL included */
    int max;                    /* characters at most (bytes, with `bytes`) */
    int newline;                /* line feeds allowed: the "À la ligne" key */
    int no_auto_caps;           /* no capital by itself (an e-mail address) */
    int bytes;                  /* max counts bytes */
} textkb_t;
#define TEXTKB_H (4 * 88 + 3 * 8) /* the keyboard's height */
#define TEXTKB_LINES_MAX 1100
int textkb_chars(const char *s);
int textkb_caps(const app_t *a, const textkb_t *t);
void textkb_char(app_t *a, const textkb_t *t, const char *utf8);
/* A key of the keyboard (ACT_KEY..., shift, signs, line feed, erase): 1 when
 * act was one. */
int textkb_act(app_t *a, const textkb_t *t, int act);
void textkb_draw(app_t *a, const textkb_t *t, int y);
/* The field's text wrapped to w, its last `rows` lines drawn at x, y (each
 * line whole: a long word wraps between letters without being "cut");
 * *last_w the width of the last line (the caret). Returns the lines. */
int textkb_lines(app_t *a, const char *val, int x, int y, int w, int fs, int rows, int *last_w);

/* idea.c: a call for ideas (issue 17) */
void scr_ideas_draw(app_t *a);
void scr_ideas_act(app_t *a, int act);
void scr_idea_draw(app_t *a);
void scr_idea_act(app_t *a, int act);
/* A character typed on a physical keyboard (or "\n"), into the step's field. */
void scr_idea_char(app_t *a, const char *utf8);
/* 1 when the idea's current step is one where text is typed. */
int idea_typing(const app_t *a);
/* The identity checked, the person may propose: to the idea's first step
 * (or a message: the limit reached). */
void idea_begin(app_t *a);
/* quest.c: a questionnaire (issue 17) */
void scr_quest_draw(app_t *a);
void scr_quest_act(app_t *a, int act);
void scr_question_draw(app_t *a);
void scr_question_act(app_t *a, int act);
void scr_question_char(app_t *a, const char *utf8);
/* 1 when the question on screen takes a typed text. */
int quest_typing(const app_t *a);
/* Audio mode: the current question's hint as on screen; option (or number)
 * v: 0 not chosen, 1 chosen, a ranking's rank from 1. */
const char *quest_hint(app_t *a, char *buf, size_t cap);
int quest_option_state(const app_t *a, int v);
/* The identity checked, not yet answered: to the first question. */
void quest_begin(app_t *a);
/* vcode.c: a supervised vote's voting code, typed on a digit pad */
void scr_vcode_draw(app_t *a);
void scr_vcode_act(app_t *a, int act);


/* projects.c, shared with detail.c and review.c: */
/* Toggles a project in the selection, or explains in s.notice why not. */
void projects_toggle(app_t *a, int project);
/* Why the last choice was refused, in the current language, or NULL. */
const char *projects_notice(app_t *a, char *buf, size_t cap);
/* ... its brief form, without the project's title (a short screen) */
const char *projects_notice_brief(app_t *a, char *buf, size_t cap);
/* 1 if project is in the selection. */
int projects_chosen(const app_t *a, int project);
/* A cumulative ballot: the points given to project (0: none); one point
 * more or less (a refusal explained in s.notice). An ordinal one: the rank
 * of project, 1 for the first choice (0: not ranked). */
int projects_points(const app_t *a, int project);
void projects_point(app_t *a, int project, int delta);
int projects_rank(const app_t *a, int project);
/* The toggle's label for project: "Choisir", "✓ Choisi", "✓ 2e choix"... */
const char *projects_toggle_label(app_t *a, int project, char *buf, size_t cap);
/* The live meter in words: the money left ("Il reste 333 333 € sur ...")
 * and the count ("Projets choisis : 2 sur 5 au maximum"), cap bytes each. */
void projects_meter(app_t *a, char *left, char *count, size_t cap);
/* The rule's first problem for the current selection in words, or NULL. */
const char *projects_problem(app_t *a, char *buf, size_t cap);

#endif
