#ifndef CEDIT_SHIM_H
#define CEDIT_SHIM_H
#include <stdio.h>
#include <histedit.h>
/* el_set/el_get/history are C-variadic, which Swift cannot call: one small wrapper per use. */
/* stdin/stdout are C globals that Swift 6 rejects as not concurrency-safe: they are passed here. */
static inline EditLine *cedit_init(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int cedit_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cedit_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline char *cedit_prompt_from_clientdata(EditLine *el) {
    void *d = NULL; el_get(el, EL_CLIENTDATA, &d); return d ? (char *)d : (char *)"> "; }
static inline int cedit_set_prompt(EditLine *el, const char *p) {  /* the caller keeps p alive */
    el_set(el, EL_CLIENTDATA, (void *)p); return el_set(el, EL_PROMPT, cedit_prompt_from_clientdata); }
static inline int cedit_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int cedit_addfn(EditLine *el, const char *name, const char *help,
                              unsigned char (*fn)(EditLine *, int)) { return el_set(el, EL_ADDFN, name, help, fn); }
static inline int cedit_bind(EditLine *el, const char *key, const char *fn) { return el_set(el, EL_BIND, key, fn, NULL); }
static inline int cedit_history_setsize(History *h, HistEvent *ev, int n) { return history(h, ev, H_SETSIZE, n); }
static inline int cedit_history_setunique(History *h, HistEvent *ev, int on) { return history(h, ev, H_SETUNIQUE, on); }
static inline int cedit_history_enter(History *h, HistEvent *ev, const char *s) { return history(h, ev, H_ENTER, s); }
static inline int cedit_history_load(History *h, HistEvent *ev, const char *path) { return history(h, ev, H_LOAD, path); }
static inline int cedit_history_save(History *h, HistEvent *ev, const char *path) { return history(h, ev, H_SAVE, path); }
#endif
