/* app.h - the kiosk application as logic: state, events, screens, drawing
 * into a command list. No SDL here: ui/main.c feeds events and replays the
 * list with ui/render_sdl.c; tests drive it directly. app.c holds the state
 * machine, the chrome (top bar, display options dialog, inactivity
 * warning) and the themes; app_input.c the keys (focus, two switches).
 *
 * Screens and their edges (function of each edge in brackets):
 *
 *   OUTOFSERVICE (no package, store failure, polls not open, clock wrong)
 *   WELCOME --start--> IDENTITY (steps: last name, first names, birth date,
 *     commune) --checks [identity_check]--> PROJECTS <--> DETAIL
 *     \--> MESSAGE (already taken part, too young)
 *   PROJECTS --see my choice--> REVIEW --confirm [review_confirm:
 *     cast_budget]--> RECEIPT --finish or timeout--> WELCOME
 *   Several campaigns open: WELCOME --Voter--> IDENTITY (the budget vote)
 *     --Lire et signer--> PETITIONS (one campaign: the single start)
 *   PETITIONS (counters) --read--> PETITION (full text) --sign--> IDENTITY
 *     --checks [identity_check]--> CONSENT ("do not publish my name")
 *     --sign [petition.c sign: cast_petition]--> RECEIPT
 *     \--> MESSAGE (already signed, too young)
 *   any screen but WELCOME/OUTOFSERVICE --60 s idle--> warning overlay
 *     --90 s idle [app_reset_session]--> WELCOME
 *
 * Secrecy (DESIGN-S3): the session (identity, choices) lives in
 * app_t.s only; app_reset_session() wipes it, the draw list's arena and asks
 * the renderer to drop its text cache (session_epoch). */
#ifndef APP_H
#define APP_H

#include <stdint.h>

#include "ballot.h"
#include "cast.h"
#include "draw.h"
#include "answers.h"
#include "idea.h"
#include "i18n.h"
#include "agent.h"
#include "ksync.h"
#include "pkg.h"
#include "store.h"

typedef enum {
    SCR_WELCOME = 0,
    SCR_IDENTITY,
    SCR_PROJECTS,
    SCR_DETAIL,
    SCR_REVIEW,
    SCR_RECEIPT,
    SCR_MESSAGE,
    SCR_OUTOFSERVICE,
    SCR_PETITIONS,        /* the open petitions and their counters */
    SCR_PETITION,         /* one petition's full text */
    SCR_CONSENT,          /* personal data notice, "do not publish", sign */
    SCR_CLOSED,           /* citizens: no campaign takes part now (closed, paused) */
    SCR_PIN,              /* agent mode: the PIN pad */
    SCR_AGENT,            /* agent mode: the polls and what an agent may do */
    SCR_REPORT,           /* agent mode: a zero or closing report, its QR code */
    SCR_STATUS,           /* agent mode: counts, disk, sync, clock, certificate */
    SCR_EXPORT,           /* agent mode: export to a removable drive */
    SCR_DESKCODE,         /* agent mode, the desk: the voting code just given */
    SCR_VCODE,            /* citizens, a supervised vote: type the voting code */
    SCR_IDEAS,            /* a call for ideas: what it is, how it goes on */
    SCR_IDEA,             /* ... the idea, one question a page (s.idea_step), its review */
    SCR_QUEST,            /* a questionnaire: what it is, secret answers */
    SCR_QUESTION,         /* ... one question a page (s.q), then the review */
    SCR__COUNT
} scr_t;

/* Actions carried by controls. */
enum {
    ACT_NONE = 0,
    ACT_LANG = 10,        /* + language index */
    ACT_START = 20,
    ACT_BACK,
    ACT_NEXT,
    ACT_FINISH,
    ACT_STAY,             /* "I am still here" on the inactivity warning */
    ACT_FIELD,            /* identity: erase the field */
    ACT_PAGE_PREV,
    ACT_PAGE_NEXT,
    ACT_REVIEW,
    ACT_CONFIRM,
    ACT_CHANGE,
    ACT_BACKSPACE,
    ACT_DISPLAY,          /* the display options dialog: open */
    ACT_DISPLAY_CLOSE,    /* ... and close */
    ACT_TEXT_MORE,        /* detail: the next page of the text */
    ACT_TEXT_PREV,        /* ... the previous one */
    ACT_SIGN,             /* petition: read it -> identity */
    ACT_NO_PUBLISH,       /* consent: the "do not publish my name" toggle */
    ACT_SIGN_CONFIRM,     /* consent: sign (cast_petition) */
    ACT_PETITIONS,        /* welcome: the list of petitions */
    ACT_PIN_ERASE,        /* PIN pad: erase a digit */
    ACT_PIN_OK,           /* PIN pad: check the PIN */
    ACT_AGENT_LEAVE,      /* agent mode: back to the citizens' screens */
    ACT_AGENT_HOME,       /* agent mode: the main agent screen */
    ACT_AGENT_STATUS,
    ACT_AGENT_SYNC,
    ACT_AGENT_EXPORT,
    ACT_REPORT_PRINT,     /* report: print it on the receipt printer */
    ACT_CAMPAIGN = 5000,  /* + campaign index: welcome, start it (budget) */
    ACT_READ = 5100,      /* + campaign index: a petition's full text */
    ACT_SIZE = 50,        /* + text size (APP_SIZE_*) */
    ACT_CONTRAST = 55,    /* + 0: normal, 1: high contrast */
    ACT_KEY = 1000,       /* + index into the on-screen keyboard's keys */
    ACT_SUGGEST = 2000,   /* + commune index */
    ACT_OPEN = 3000,      /* + project index: detail view */
    ACT_TOGGLE = 4000,    /* + project index: choose / remove */
    ACT_PIN_DIGIT = 6000, /* + digit 0..9 */
    ACT_POLLS_OPEN = 6100,   /* + campaign index in all[]: two agents */
    ACT_POLLS_PAUSE = 6200,  /* + campaign index */
    ACT_POLLS_RESUME = 6300, /* + campaign index */
    ACT_POLLS_CLOSE = 6400,  /* + campaign index: two agents */
    ACT_REPORT_SHOW = 6500,  /* + campaign index: its last report again */
    ACT_EXPORT_TO = 6600,    /* + index of a mounted drive */
    ACT_TECH_ENROL = 6700,   /* technician: the certificate request onto a drive */
    ACT_TECH_IMPORT,         /* technician: a provisioning bundle from a drive */
    ACT_TECH_WIPE,           /* technician: wipe after the campaign (asks to confirm) */
    ACT_TECH_WIPE_CONFIRM,
    ACT_DESK = 6800,         /* + campaign index in all[]: the desk registers a person */
    ACT_VCODE_OK = 6900,     /* the citizen's voting code: check it */
    ACT_POINT_ADD = 8000,    /* + project index: a cumulative ballot, one point more */
    ACT_POINT_SUB = 9000,    /* + project index: ... one point less */
    ACT_IDEAS = 7000,        /* + campaign index: welcome, a call for ideas */
    ACT_IDEA_START = 7050,   /* the call: propose an idea -> identity */
    ACT_IDEA_SHIFT,          /* the idea's keyboard: capitals on or off */
    ACT_IDEA_LAYER,          /* ... letters, or digits and signs */
    ACT_IDEA_NEWLINE,        /* ... a line feed (the description) */
    ACT_IDEA_SEND,           /* the review: send the idea (cast_idea) */
    ACT_IDEA_SKIP,           /* an optional step left empty */
    ACT_THEME = 7100,        /* + theme index */
    ACT_IDEA_EDIT = 7200,    /* + step (IS_*): the review, change it */
    ACT_QUEST = 7300,        /* + campaign index: welcome, a questionnaire */
    ACT_QUEST_START = 7350,  /* the questionnaire: answer -> identity */
    ACT_QCLEAR,              /* a question: clear its answer (a ranking: start again) */
    ACT_QSEND,               /* the review: send the answers (cast_answers) */
    ACT_QOPT = 7400,         /* + option index (or the scale's number, 1 yes / 0 no) */
    ACT_QEDIT = 7500         /* + question index: the review, change it */
};

/* The steps of an idea (SCR_IDEA, s.idea_step). */
enum { IS_THEME = 0, IS_TITLE, IS_TEXT, IS_PLACE, IS_CONTACT, IS_REVIEW, IS__COUNT };

/* What a receipt is for (s.signed_petition). */
enum { APP_RECEIPT_VOTE = 0, APP_RECEIPT_PETITION = 1, APP_RECEIPT_IDEA = 2,
       APP_RECEIPT_ANSWERS = 3 };

#define APP_QREVIEW PKG_QUESTIONS_MAX /* s.q: the review of a questionnaire */

/* Physical keys the app understands. */
typedef enum {
    KEY_TAB = 1, KEY_SHIFT_TAB, KEY_ENTER, KEY_ESCAPE, KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN,
    KEY_SPACE, KEY_BACKSPACE,
    KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6, KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11,
    KEY_F12,
    KEY_AGENT,            /* the agents' key chord, Ctrl+Alt+A */
    /* the numeric keypad (a tactile keypad with raised dots): digits type on
     * the screens that take digits, else they move and act (app_speak.c) */
    KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9,
    KEY_KP_PERIOD, KEY_KP_PLUS, KEY_KP_MINUS, KEY_KP_STAR, KEY_KP_SLASH, KEY_KP_ENTER
} app_key_t;

/* A key's name as scripts and --switch-keys write it ("Tab", "Enter",
 * "Space", "F1" ...; "Return" is "Enter"), or 0. */
app_key_t app_key_named(const char *name);


/* Identity steps. */
enum { ID_LAST = 0, ID_FIRST, ID_BIRTH, ID_COMMUNE, ID__COUNT };

/* Refusals of a choice, phrased at draw time in the current language. */
enum { NOTICE_NONE = 0, NOTICE_TOO_MANY, NOTICE_OVER_BUDGET, NOTICE_OTHER, NOTICE_POINTS,
       NOTICE_PER_PROJECT };

/* Messages of SCR_MESSAGE. */
enum { MSG_ALREADY = 1, MSG_TOO_YOUNG, MSG_NOT_STORED, MSG_OFFLINE, MSG_CLOSED,
       MSG_IDEAS_LIMIT };

/* Campaigns open on this kiosk: one budget vote at most, petitions. */
#define APP_MAX_CAMPAIGNS 8
typedef struct app_campaign_s {
    pkg_t *pkg;
    uint8_t secret[32];
    char **commune_norm;              /* normalised names, for type-ahead */
    int *commune_order;               /* communes sorted by normalised name */
} app_campaign_t;

#define APP_MAX_LANGS 4
#define APP_NAME_MAX 96
#define APP_SUGGEST 3

/* Colours and sizes: one place. Two themes (normal, high contrast) and
 * three text sizes; every text colour pair they use has a contrast ratio
 * of at least 7:1 (WCAG AAA), tested in test_ui_screens. */
typedef struct ui_theme_s {
    ui_color_t bg, surface, text, muted, accent, on_accent, border, chosen_bg, warn_bg,
        warn_border, focus, dim, disabled;
    int scale;            /* text size, percent */
} ui_theme_t;

/* Text sizes (percent: 100, 125, 150) and themes. */
enum { APP_SIZE_NORMAL = 0, APP_SIZE_LARGE, APP_SIZE_LARGEST, APP_SIZE__COUNT };
enum { APP_THEME_NORMAL = 0, APP_THEME_CONTRAST, APP_THEME__COUNT };
extern const int app_size_pct[APP_SIZE__COUNT];
extern const ui_theme_t app_themes[APP_THEME__COUNT];

/* The text/background pairs a theme uses ({text, background} each); returns
 * how many (at most max). For the contrast test. */
int app_theme_pairs(const ui_theme_t *t, ui_color_t (*pairs)[2], int max);

/* Everything one citizen's session holds; wiped at its end. */
typedef struct app_session_s {
    int step;                         /* identity step */
    char field[ID__COUNT][APP_NAME_MAX]; /* birth: up to 8 digits DDMMYYYY */
    int commune;                      /* index into pkg->communes, -1 */
    int territory;
    const char *field_err;            /* catalog key of the step's problem, or NULL */
    int sel[BALLOT_MAX_CHOICES];      /* an ordinal ballot: in rank order */
    int pts[BALLOT_MAX_CHOICES];      /* a cumulative ballot: the points of sel[i] */
    int nsel;
    int page;
    int detail;                       /* project shown in SCR_DETAIL */
    int detail_page;                  /* ... which page of its text */
    int notice;                       /* why the last choice was refused (NOTICE_*) */
    int notice_project;               /* ... which project */
    int msg;
    int in_doubt;                /* MSG_NOT_STORED for BN_EDOUBT (store.c, STORE-D6) */
    char tracking[TRACK_TEXT_LEN + 1];
    int no_publish;                   /* petition: "do not publish my name" */
    char vcode[VCODE_TEXT_LEN + 1];   /* a supervised vote: the code typed (CAST-C8) */
    int signed_petition;              /* what the receipt is for: APP_RECEIPT_* */
    /* a call for ideas (ui/screens/idea.c) */
    int idea_step;                    /* IS_* */
    int idea_theme;                   /* index into pkg->ideas.themes, -1: none yet */
    int idea_caps;                    /* -1: capitals by themselves (a new sentence), 0, 1 */
    int idea_symbols;                 /* the keyboard shows digits and signs */
    int idea_from_review;             /* the step was opened from the review: back to it */
    char idea_title[IDEA_TITLE_BYTES + 1];
    char idea_text[IDEA_TEXT_BYTES + 1];
    char idea_place[IDEA_PLACE_BYTES + 1];
    char idea_contact[IDEA_CONTACT_BYTES + 1];
    /* a questionnaire (ui/screens/quest.c) */
    int q;                            /* the question on screen, or APP_QREVIEW */
    int q_from_review;                /* opened from the review: back to it */
    uint8_t qset[PKG_QUESTIONS_MAX];  /* 1: answered */
    ballot_answer_t qa[PKG_QUESTIONS_MAX]; /* the answer to each question */
    char qtext[PKG_QUESTIONS_MAX][QTEXT_MAX_BYTES + 1]; /* a text question's words */
    int esc_armed;                    /* Escape once at the first step: the next one erases */
    int notice_seq;                   /* bumped at each refusal (audio mode says each one) */
    int switching;                    /* a switch was pressed in this session */
} app_session_t;

/* Audio mode (ui/app_speak.c). The voice the app speaks through: ui/speech.c
 * in the kiosk, nothing in tests (what is said goes to the script runner and
 * to --speech-log instead). */
typedef struct app_voice_s {
    void *ctx;
    void (*say)(void *ctx, const char *text, const char *lang, int flush);
    void (*set)(void *ctx, int rate, int volume);
    void (*forget)(void *ctx);   /* drop and zero what is queued or playing */
} app_voice_t;

/* What audio mode last spoke of: the next frame says what changed. Holds
 * session data (the field typed, the choices): wiped with the session. */
typedef struct app_spk_s {
    int valid;
    int scr, step, page, detail_page, display, warning, lang, msg;
    int focus_act, focus_group, nctl;
    int nsel, sel[BALLOT_MAX_CHOICES], pts[BALLOT_MAX_CHOICES];
    int notice_seq;
    const char *field_err;
    char field[APP_NAME_MAX];
    int nsugg;
    int commune;
    int no_publish;
    char digits[32];                  /* a voting code or PIN as typed */
    size_t idea_len;                  /* an idea's (or a text question's) field: its length (bytes) last said */
    int idea_theme;
    int qset;                         /* the question on screen: answered, and how */
    ballot_answer_t qa;
} app_spk_t;

#define APP_SAID_MAX 16384             /* what scripts can check since their last line */

/* Agent mode (ui/agent.c): who is signed in, what waits for a second
 * agent's PIN, the last outcome in words. Nothing of a citizen's session. */
#define APP_PIN_MAX 12
#define APP_MOUNTS 6
#define APP_AGENT_IDLE_MS 120000u /* agent mode leaves by itself */
#define APP_HOLD_MS 3000u         /* the long press on the top-left corner */
#define APP_HOLD_ZONE 140         /* ... within this many px of the corner */
typedef struct app_agent_s {
    agents_t *list;                   /* STATE/agents.json, NULL: none */
    const agent_t *who;               /* the agent signed in */
    const agent_t *first;             /* a two-agent change: the first agent */
    int op, op_camp;                  /* ... and what waits for the second PIN (ACT_POLLS_*) */
    char pin[APP_PIN_MAX + 1];
    int pin_len;
    char msg[700];                    /* the last outcome, in words */
    int msg_bad;                      /* ... a refusal */
    int report_camp, report_closing;  /* the report on SCR_REPORT */
    char *report_text;
    size_t report_len;
    uint8_t report_digest[32];
    int from_oos;                     /* entered from the out-of-service screen */
    int drive_op;                     /* SCR_EXPORT is for: ACT_AGENT_EXPORT, ACT_TECH_ENROL,
                                         ACT_TECH_IMPORT */
    int wipe_asked;                   /* the wipe waits for its confirmation */
    int n_mounts;
    char mounts[APP_MOUNTS][256];     /* removable drives seen (SCR_EXPORT) */
} app_agent_t;

typedef struct app_s {
    /* configuration */
    int w, h;
    uint32_t warn_ms, reset_ms;
    int n_langs, lang;
    char lang_code[APP_MAX_LANGS][3];
    i18n_t *cat[APP_MAX_LANGS];
    ui_theme_t theme;
    int text_size, contrast;          /* APP_SIZE_*, APP_THEME_* (per session) */
    int display_open;                 /* the display options dialog is shown */
    int print_receipts;               /* headless: print "receipt CODE" */

    /* the campaigns: every one loaded (owned in all[]), and those that
     * take part now (camp[]: copies of all[] entries whose polls accept
     * today, app_refresh_polls); pkg, secret, commune_norm and
     * commune_order are those of the session's campaign (cur in camp[]) */
    app_campaign_t all[APP_MAX_CAMPAIGNS];
    int n_all;
    app_campaign_t camp[APP_MAX_CAMPAIGNS];
    int n_camp, cur;
    key_pub_t authority;              /* the pinned authority key (petitions) */
    pkg_t *pkg;
    store_t *store;
    key_pair_t *kiosk;
    struct tpm_s *tpm;               /* the TPM holding the kiosk key, or NULL */
    signer_t signer;
    rng_t *rng;
    uint8_t secret[32];
    uint32_t today;                   /* the day the kiosk started */
    int64_t wall0_ms;                 /* local wall-clock ms at now = 0 (app_wall_ms) */
    char state_dir[512];              /* STATE */
    char kiosk_name[64];              /* STATE/kiosk-id, or "kiosk" */
    char printer[256];                /* STATE/printer: a device or file, "" none */
    char media[256];                  /* STATE/media: the drives' folder, "" /media */
    char **commune_norm;              /* normalised names, for type-ahead */
    int *commune_order;               /* communes sorted by normalised name */
    char oos_reason[400];             /* for agents */
    char departement[4];              /* STATE/departement: the packages' département */
    int sync_thread;                  /* the link's thread runs (window runs) */
    ksync_t *sync;                    /* the link to borne-server, or NULL (no server.conf) */
    int sync_revoked_seen;            /* the revocation already put the kiosk out of service */
    ksync_hook_t hook;                /* the cast path's reservation (app_cast_inputs) */

    /* state */
    scr_t scr;
    int focus;                        /* control index, -1: none */
    int focus_group;                  /* > 0: scanning has the focus on this whole group */
    int scan_group;                   /* > 0: scanning goes through this group's keys */
    app_key_t sw_next, sw_select;     /* the two switches */
    long switch_presses;              /* presses of either switch since start (tests) */
    uint32_t now, last_input;
    int warning;                      /* the inactivity warning is shown */
    uint32_t warning_shown_s;         /* seconds left in the warning on screen */
    int dirty;
    unsigned session_epoch;
    app_session_t s;
    int missing_keys;                 /* catalog misses (a test failure) */
    char last_missing[64];

    int desk;                         /* the identity screens serve the agents' desk */
    char desk_code[VCODE_TEXT_LEN + 1];/* the voting code just given (SCR_DESKCODE) */
    int pressing;                     /* a press held on the top-left corner */
    uint32_t press_start;
    int press_act;                    /* the action under the finger when pressed, -1 none */
    int last_toggle;                  /* the last project chosen or removed by touch... */
    uint32_t last_toggle_at;          /* ... and when: a tremor's second tap is ignored */
    int scan_home;                    /* a new screen or step: a switch user's focus starts on
                                         its first item (app_draw) */
    int focus_act, focus_alt;         /* after the next draw, the focus goes to the control of
                                         focus_act (or focus_alt); 0: leave it */
    app_agent_t ag;

    /* audio mode (ui/app_speak.c; AUDIO-A1..A4 in docs/design.md) */
    int audio_ok;                     /* audio mode can start: a voice, or a test run's log */
    int audio;                        /* everything is spoken, the screen is curtained */
    int screen_off;                   /* ... and black */
    int speech_rate, speech_volume;   /* words per minute (80..450), percent */
    app_voice_t voice;                /* say == NULL: nothing is spoken aloud */
    void *speech_log;                 /* FILE *: --speech-log, headless runs only (AUDIO-A3) */
    char said[APP_SAID_MAX];          /* what was said since the script's last line */
    size_t said_len;
    int top_ntext;                    /* visible texts of the top bar, not read aloud */
    int pages;                        /* pages of the projects' list (its last drawing) */
    app_spk_t spk;

    ui_dl_t dl;
} app_t;

/* Sets up an app with no campaign (out of service until kiosk_open). Loads
 * the catalogs "fr" and "en" from assets/i18n. BN_E* with `why`. */
int app_init(app_t *a, const char *assets, const ui_measure_t *m, int w, int h,
             char *why, size_t whylen);
void app_free(app_t *a);
/* Drops what kiosk_open loaded (campaigns, store, link, key), keeping the
 * catalogs and the screen: before a wipe or a new provisioning bundle. */
void app_unload(app_t *a);

/* Puts the kiosk out of service with a reason for agents. */
void app_out_of_service(app_t *a, const char *reason);

/* Events. `now` is the kiosk clock in ms (simulated in headless mode). */
void app_tap(app_t *a, int x, int y);
/* A key press. The two switch keys scan (app_set_switch_keys); the other
 * keys act as a keyboard's (docs/scripting.md). */
void app_key(app_t *a, app_key_t k);
/* Two-switch scanning: the switch keys, "NEXT,SELECT" (default "F1,F2").
 * BN_EINVAL with why for an unknown key, the same key twice, or Tab,
 * Shift+Tab or Escape. */
int app_set_switch_keys(app_t *a, const char *spec, char *why, size_t whylen);
void app_char(app_t *a, const char *utf8); /* a typed character */
void app_action(app_t *a, int action);
void app_tick(app_t *a, uint32_t now);

/* Redraws into a->dl if dirty (returns 1 if it drew). */
int app_draw(app_t *a);

/* Ends the session: wipes it and returns to the welcome screen. */
void app_reset_session(app_t *a);

/* The screen's name for scripts and docs ("welcome", "identity" ...). */
const char *app_screen_name(scr_t s);

/* The current language's text for key; "[key]" and a counted miss if absent. */
const char *tr(app_t *a, const char *key);
/* tr() then i18n_format into buf. */
const char *trf(app_t *a, char *buf, size_t cap, const char *key, const char *const *kv);

/* Package text in the current language. */
const char *app_ptext(const app_t *a, const pkg_text_t *t);

/* Applies a text size and a theme at once (redraws). */
void app_set_display(app_t *a, int text_size, int contrast);

/* Goes to a screen (resets focus, marks dirty). */
void app_go(app_t *a, scr_t s);

/* The cast path's inputs for the campaign in use: the kiosk's context (the
 * campaign secret copied in: wipe ctx->secret after the cast; with a server,
 * the reservation hook, ksync.h) and the
 * session's identity, the birth date written into `birth` (DAY_TEXT_LEN + 1
 * bytes, wiped by the caller). */
void app_cast_inputs(app_t *a, cast_ctx_t *ctx, cast_identity_t *who, char *birth);

/* After a cast refused with BN_EREVOKED (the server said, at the reservation
 * the cast path made through a->hook, that the authority revoked this
 * kiosk): out of service, the reason in a->oos_reason and in why. */
void app_cast_revoked(app_t *a, char *why, size_t whylen);

/* Headless runs: one round of the link (ksync_round; closing: everything
 * goes), then prints "sync bundles=B items=I left=L online=0|1" or
 * "sync none" without a server. 0 or the round's error. */
int app_sync_round(app_t *a, int closing, char *why, size_t whylen);

/* After a cast returned 0 (signed and on disk): keeps only the tracking
 * code, forgets the whole session (DESIGN-S3, DESIGN-S5), prints
 * "receipt CODE" in headless mode and shows the receipt. */
void app_show_receipt(app_t *a, cast_receipt_t *rec, int signed_petition);

/* The kiosk's wall clock (local time, ms since 1970) and today's day
 * number from it: the kiosk follows it while it runs (POLLS-P1). */
int64_t app_wall_ms(const app_t *a);
uint32_t app_day(const app_t *a);

/* Rebuilds camp[] from all[]: the campaigns whose polls accept a cast now
 * (polls_accepts with app_day). None: the citizens' closed screen. Only
 * between sessions (welcome, closed screens) or when forced. */
void app_refresh_polls(app_t *a, int force);

/* A finger or mouse button down at x, y, and up at x, y (x < 0: where is
 * not known). A control acts on release, when the finger is still on it
 * (sliding off cancels); the same project toggled again by touch within
 * APP_REPEAT_MS is a tremor, ignored. A press held APP_HOLD_MS on the
 * top-left corner enters agent mode. app_tap is both at once (scripts). */
#define APP_REPEAT_MS 400
void app_press(app_t *a, int x, int y);
void app_release(app_t *a, int x, int y);

/* Agent mode (ui/agent.c): enter (the PIN pad; a citizen's session is
 * wiped first), leave (to the citizens' screens), and its tick. */
void agent_enter(app_t *a);
void agent_leave(app_t *a);
void agent_act(app_t *a, int act);
void agent_free(app_t *a);
/* The desk (CAST-C8): the identity screens checked a person; registers
 * them and shows the voting code (SCR_DESKCODE), or the refusal. */
void agent_desk_issue(app_t *a);

/* The start of a budget vote: the identity, or the voting code of a
 * supervised campaign (CAST-C8). */
void app_start_budget(app_t *a);

/* Makes campaign i (index into camp[]) the session's campaign. */
void app_use_campaign(app_t *a, int i);
/* How many petitions are open; the index in camp[] of the budget vote, or -1. */
int app_n_petitions(const app_t *a);
int app_budget_index(const app_t *a);
/* The first call for ideas open, or -1. */
int app_ideas_index(const app_t *a);
/* The first questionnaire open, or -1. */
int app_quest_index(const app_t *a);

/* --- helpers shared by the screens (app.c) -------------------------------- */
int app_sz(const app_t *a, int px);       /* a text size scaled by the theme */
/* A heading's size: grows half as much as body text (150 % -> 125 %). */
int app_sz_big(const app_t *a, int px);
/* The bar at the top of every screen (campaign title, "Affichage", the
 * languages; the title on its own lines when the screen is narrow); returns
 * the y where the screen's content starts. */
int app_top_bar(app_t *a);
typedef enum { BTN_PRIMARY = 0, BTN_SECONDARY, BTN_CHOSEN, BTN_KEY } btn_style_t;
void app_button(app_t *a, ui_rect_t r, const char *label, const char *name, int action,
                btn_style_t style, int enabled);
/* The height a button of width w needs for its label (at least min_h). */
int app_button_h(app_t *a, const char *label, int w, btn_style_t style, int min_h);
/* The width a button needs for its label on one line (at least min_w). */
int app_button_w(app_t *a, const char *label, btn_style_t style, int min_w);
/* A QR code of `text` (side qsize px with its quiet zone, on white) at x, y. */
void app_qr(app_t *a, const char *text, int x, int y, int qsize);
/* Heading and paragraph helpers; return the height used. */
int app_heading(app_t *a, int x, int y, int w, const char *s);
int app_para(app_t *a, int x, int y, int w, const char *s);
/* A notice box (problem explained in words, "!" mark, not colour alone). */
int app_notice(app_t *a, int x, int y, int w, const char *s);
/* The height app_notice would use. */
int app_notice_h(app_t *a, int w, const char *s);

/* Internal to app.c and app_input.c: an input happened (the inactivity
 * clock restarts, the warning goes). */
void app__touched(app_t *a);

/* --- audio mode (app_speak.c) ----------------------------------------------- */

/* Turns audio mode on or off (says so). */
void app_audio(app_t *a, int on);
/* The audio-mode keys (docs/accessibility.md): repeat, help, faster,
 * slower, louder, quieter, language, screen off, and the keypad's moves.
 * Returns 1 when k was one of them (handled), 0 when app_key goes on with
 * *k (possibly rewritten: a keypad move becomes an arrow, Enter, Escape). */
int app_speak_key(app_t *a, app_key_t *k);
/* After a screen is drawn (app_draw): says what changed since the last
 * frame, then covers the screen (the curtain, AUDIO-A1). */
void app_speak_frame(app_t *a);
/* Text to the voice in the current language (normalised for speech: money
 * in words, no symbols); flush: stops what was being said. */
void app_say(app_t *a, const char *text, int flush);
/* A tap in audio mode: the curtain hides the controls, so it does nothing
 * but say so; returns 1 when the tap is to be ignored. */
int app_speak_tap(app_t *a);
/* Forgets everything spoken (a session ends). */
void app_speak_forget(app_t *a);
/* The focus order (reading order; with switches or in audio mode the top
 * bar comes last): the controls' indices, their number. */
int app_focus_order(const app_t *a, int *order);

/* Two switches: the focus on the first item of the scanning cycle (a
 * control, or a group of keys). */
void app_scan_home(app_t *a);

/* The margin of the screen edges. */
#define APP_MARGIN 64

#endif
