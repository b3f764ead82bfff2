/* pv-ui-test.h: what the tests of windows share
 *
 * Waiting for the main loop to reach a state, and finding a widget as a user would: by
 * what it says.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the main loop until condition (data) holds, or seconds pass; its last answer. */
gboolean   pv_ui_test_wait_until    (gboolean   (*condition) (gpointer data),
                                     gpointer      data,
                                     guint         seconds);

/* Runs the main loop until a PvQueryModel has loaded and holds n_items (10 s at most);
 * asserts that it does. */
void       pv_ui_test_wait_for_items (GListModel *model,
                                      guint       n_items);

/* The first widget of type at or under root (depth first) that says text: its tooltip, a
 * button's or label's label, an entry's placeholder or a preferences row's title. NULL
 * text: the first of the type. */
GtkWidget *pv_ui_test_find_widget   (GtkWidget  *root,
                                     GType       type,
                                     const char *text);

G_END_DECLS
