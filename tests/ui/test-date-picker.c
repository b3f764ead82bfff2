/* test-date-picker.c: PvDatePicker in a real window: the Jalali month grid in Persian
 * (first weekday, month lengths, right-to-left), picking, typing and keys; Gregorian in
 * English */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "pv-date-picker.h"
#include "pv-locale.h"

static gboolean have_display;

static void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static guint
count_visible_days (PvDatePicker *picker)
{
  GtkWidget *grid = pv_date_picker_get_grid (picker);
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c) && gtk_widget_get_visible (c))
      n++;
  return n;
}

static int
column_of (PvDatePicker *picker, int day)
{
  GtkWidget *button = pv_date_picker_get_day_button (picker, day);
  int column, row, width, height;

  g_assert_nonnull (button);
  gtk_grid_query_child (GTK_GRID (pv_date_picker_get_grid (picker)), button, &column, &row,
                        &width, &height);
  return column;
}

static double
x_of (PvDatePicker *picker, int day)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (pv_date_picker_get_day_button (picker, day),
                                            pv_date_picker_get_grid (picker), &bounds));
  return bounds.origin.x;
}

/* The column a date should sit in: its weekday counted from the locale's first one. */
static int
expected_column (PvLocale *locale, const GDate *date)
{
  return ((int) g_date_get_weekday (date) - pv_locale_get_first_weekday (locale) + 7) % 7;
}

static gboolean
press (PvDatePicker *picker, guint keyval)
{
  GtkWidget *popover = gtk_widget_get_ancestor (pv_date_picker_get_grid (picker),
                                                GTK_TYPE_POPOVER);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (popover);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      gboolean done = FALSE;

      /* The picker's own key controller (the popover has others, for its mnemonics). */
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) ==
          GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &done);
          handled = handled || done;
        }
    }
  return handled;
}

static void
type_date (PvDatePicker *picker, const char *text)
{
  GtkWidget *entry = pv_date_picker_get_entry (picker);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_persian (void)
{
  g_autoptr(PvLocale) locale = pv_locale_new ("fa");
  PvDatePicker *picker;
  GtkWidget *window;
  GDate nowruz, expected;
  const char *label;
  int year, month, gy, gm, gd;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  window = gtk_window_new ();
  picker = PV_DATE_PICKER (pv_date_picker_new ());
  pv_date_picker_set_locale (picker, locale);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (picker));
  gtk_window_set_default_size (GTK_WINDOW (window), 320, 60);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pv_locale_uses_jalali (locale));
  g_assert_cmpint (pv_locale_get_first_weekday (locale), ==, 6);   /* Saturday */

  /* Farvardin 1405: 31 days; its first day is Nowruz, 21 March 2026, a Saturday. */
  pv_date_picker_popup (picker);
  spin (300);
  pv_date_picker_show_month (picker, 1405, 1);
  spin (100);
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (year, ==, 1405);
  g_assert_cmpint (month, ==, 1);
  g_assert_cmpuint (count_visible_days (picker), ==, 31);
  g_assert_null (pv_date_picker_get_day_button (picker, 32));
  g_assert_true (pv_jalali_to_gregorian (1405, 1, 1, &gy, &gm, &gd));
  g_date_clear (&nowruz, 1);
  g_date_set_dmy (&nowruz, 21, G_DATE_MARCH, 2026);
  g_assert_cmpint (g_date_get_weekday (&nowruz), ==, G_DATE_SATURDAY);
  g_assert_cmpint (gy * 10000 + gm * 100 + gd, ==, 20260321);
  g_assert_cmpint (column_of (picker, 1), ==, expected_column (locale, &nowruz));
  g_assert_cmpint (column_of (picker, 1), ==, 0);
  /* Persian digits and month name. */
  label = gtk_button_get_label (GTK_BUTTON (pv_date_picker_get_day_button (picker, 15)));
  g_assert_cmpstr (label, ==, "۱۵");
  {
    GtkWidget *popover = gtk_widget_get_ancestor (pv_date_picker_get_grid (picker),
                                                  GTK_TYPE_POPOVER);
    g_assert_true (gtk_widget_get_mapped (popover));
  }
  /* The columns are headed Saturday (ش) to Friday (ج). */
  {
    GtkGrid *grid = GTK_GRID (pv_date_picker_get_grid (picker));

    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 0, 0))), ==, "ش");
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (grid, 6, 0))), ==, "ج");
  }
  /* Right to left: Saturday (the first column) is drawn at the right, Friday at the left. */
  g_assert_cmpfloat (x_of (picker, 1), >, x_of (picker, 7));

  /* Esfand 1404 has 29 days: 1404 is not a leap year. */
  g_assert_false (pv_jalali_is_leap (1404));
  pv_date_picker_show_month (picker, 1404, 12);
  g_assert_cmpuint (count_visible_days (picker), ==, 29);
  g_assert_null (pv_date_picker_get_day_button (picker, 30));
  /* It ends the day before Nowruz: day 29 sits one column before Saturday, i.e. last. */
  g_assert_cmpint (column_of (picker, 29), ==, 6);

  /* Picking a day sets the ISO date and closes the popover. */
  pv_date_picker_show_month (picker, 1405, 1);
  g_signal_emit_by_name (pv_date_picker_get_day_button (picker, 15), "clicked");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-04-04");
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (pv_date_picker_get_entry (picker))),
                            "۱۴۰۵"));
  spin (100);

  /* Typed, with Persian digits and with Latin ones. */
  pv_date_picker_set_date (picker, NULL);
  g_assert_null (pv_date_picker_get_date (picker));
  type_date (picker, "۱۴۰۵/۰۱/۱۵");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-04-04");
  type_date (picker, "1405/1/16");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-04-05");
  /* Nonsense keeps the date and marks the entry. */
  type_date (picker, "۱۴۰۵/۱۳/۴۰");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-04-05");
  g_assert_true (gtk_widget_has_css_class (pv_date_picker_get_entry (picker), "error"));
  type_date (picker, "");
  g_assert_null (pv_date_picker_get_date (picker));

  /* Keys, mirrored: from 15 Farvardin, Left is the next day in right to left; Page Down
   * the next month; Enter picks: 17 Ordibehesht = 31 + 17 - 1 days after Nowruz. */
  pv_date_picker_set_date (picker, "2026-04-04");
  pv_date_picker_popup (picker);
  spin (200);
  g_assert_true (press (picker, GDK_KEY_Left));
  g_assert_true (press (picker, GDK_KEY_Left));
  g_assert_true (press (picker, GDK_KEY_Page_Down));
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (month, ==, 2);
  g_assert_true (press (picker, GDK_KEY_Return));
  expected = nowruz;
  g_date_add_days (&expected, 31 + 17 - 1);
  {
    char iso[16];

    g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &expected);
    g_assert_cmpstr (pv_date_picker_get_date (picker), ==, iso);
  }
  /* Escape closes; Up goes back a week, Page Up a month. */
  pv_date_picker_popup (picker);
  spin (100);
  g_assert_true (press (picker, GDK_KEY_Up));
  g_assert_true (press (picker, GDK_KEY_Page_Up));
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (month, ==, 1);
  g_assert_true (press (picker, GDK_KEY_Escape));
  spin (100);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (pv_date_picker_get_grid (picker),
                                                                   GTK_TYPE_POPOVER)));

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static void
test_english (void)
{
  g_autoptr(PvLocale) locale = pv_locale_new ("en");
  PvDatePicker *picker;
  GtkWidget *window;
  GDate first;
  int year, month;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  window = gtk_window_new ();
  picker = PV_DATE_PICKER (pv_date_picker_new ());
  pv_date_picker_set_locale (picker, locale);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (picker));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (pv_locale_uses_jalali (locale));

  /* February 2026: Gregorian, 28 days, the 1st a Sunday. */
  pv_date_picker_set_date (picker, "2026-02-10");
  pv_date_picker_popup (picker);   /* it opens on the chosen date */
  spin (300);
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (month, ==, 2);
  g_assert_cmpuint (count_visible_days (picker), ==, 28);
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, 1, G_DATE_FEBRUARY, 2026);
  g_assert_cmpint (column_of (picker, 1), ==, expected_column (locale, &first));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (pv_date_picker_get_day_button (picker, 10))),
                   ==, "10");
  /* Left to right: day 1 left of day 2 when they share a row. */
  if (column_of (picker, 1) < 6)
    g_assert_cmpfloat (x_of (picker, 1), <, x_of (picker, 2));
  /* 2028 is a leap year: February has 29 days. */
  pv_date_picker_show_month (picker, 2028, 2);
  g_assert_cmpuint (count_visible_days (picker), ==, 29);

  g_signal_emit_by_name (pv_date_picker_get_day_button (picker, 29), "clicked");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2028-02-29");
  type_date (picker, "2026-12-03");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-12-03");
  /* Right goes forward in left to right. */
  pv_date_picker_popup (picker);
  spin (100);
  g_assert_true (press (picker, GDK_KEY_Right));
  g_assert_true (press (picker, GDK_KEY_Return));
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-12-04");

  /* The preferences ask for Jalali in English: the same day, now in Azar 1405, read in
   * Jalali; back to Gregorian and the grid follows. */
  pv_locale_set_calendar (locale, PV_CALENDAR_JALALI);
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (year, ==, 1405);
  g_assert_cmpint (month, ==, 9);
  g_assert_cmpuint (count_visible_days (picker), ==, 30);
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-12-04");
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (pv_date_picker_get_entry (picker))),
                            "1405"));
  type_date (picker, "1405/01/15");
  g_assert_cmpstr (pv_date_picker_get_date (picker), ==, "2026-04-04");
  pv_locale_set_calendar (locale, PV_CALENDAR_GREGORIAN);
  pv_date_picker_get_month (picker, &year, &month);
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (month, ==, 4);
  g_assert_cmpuint (count_visible_days (picker), ==, 30);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/ui/date-picker/persian", test_persian);
  g_test_add_func ("/ui/date-picker/english", test_english);

  return g_test_run ();
}
