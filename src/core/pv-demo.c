/* pv-demo.c: a realistic, deterministic demo dataset, written through the store's API
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every record goes through pv_store_insert(), so the outbox, the search index and the
 * sort keys are what a user's own edits make. The generator has its own random number
 * generator (xoshiro256**, seeded with splitmix64) and sets every id and date itself:
 * the same seed and the same pv_now_ms() give the same bytes.
 */
#define G_LOG_DOMAIN "pv-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-demo-words.h"
#include "pv-demo.h"

#define BATCH        100000
#define DAY_MS       (G_GINT64_CONSTANT (86400000))
#define HOUR_MS      (G_GINT64_CONSTANT (3600000))
#define TEHRAN_MS    (G_GINT64_CONSTANT (12600000))   /* UTC+03:30, no DST */

typedef char Id[37];

typedef struct
{
  const char *id;
  const char *kind;       /* open | won | lost */
  int         probability;
} Stage;

typedef struct
{
  char       id[37];
  char       owner[37];
  gint64     created_at;
  guint      city;
  gboolean   organization;
  gboolean   buyer;
  gboolean   churned;
} Customer;

typedef struct
{
  PvStore             *store;
  GCancellable        *cancellable;
  PvDemoProgress       progress;
  gpointer             progress_data;
  guint64              s[4];
  gboolean             fa;
  guint                n;
  gint64               now;
  guint64              ids;           /* ids made so far */

  GHashTable          *rows;          /* entity → PvRow, reused */
  guint64              written;
  guint64              expected;
  guint                in_batch;

  Id                  *users;
  guint                n_users;
  Id                  *teams;
  Id                  *products;
  GPtrArray           *pipelines;     /* of GArray of Stage, ids owned by stage_ids */
  GPtrArray           *stage_ids;
  Id                  *pipeline_ids;
  Id                  *lost_reasons;
  Id                  *campaigns;
  gint64              *campaign_starts;
  guint                n_campaigns;
  Customer            *customers;
  guint               *buyers;
  guint                n_buyers;
  Id                  *deals;
  guint                n_deals;
} Gen;

/* Random numbers ---------------------------------------------------------- */

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
next (Gen *g)
{
  guint64 result = rotl (g->s[1] * 5, 7) * 9;
  guint64 t = g->s[1] << 17;

  g->s[2] ^= g->s[0];
  g->s[3] ^= g->s[1];
  g->s[1] ^= g->s[2];
  g->s[0] ^= g->s[3];
  g->s[2] ^= t;
  g->s[3] = rotl (g->s[3], 45);

  return result;
}

/* [0, n) */
static guint
range (Gen *g, guint n)
{
  return n > 0 ? (guint) ((next (g) >> 32) * n >> 32) : 0;
}

static gint64
range64 (Gen *g, gint64 lo, gint64 hi)
{
  return hi > lo ? lo + (gint64) (next (g) % (guint64) (hi - lo)) : lo;
}

static double
uniform (Gen *g)
{
  return (next (g) >> 11) * (1.0 / 9007199254740992.0);
}

static gboolean
chance (Gen *g, double p)
{
  return uniform (g) < p;
}

/* A UUID version 7 (RFC 9562): a millisecond prefix, then random bits. The prefix counts up
 * from the generator's "now", one per id, so that every table's primary key index grows at
 * its end instead of at random places — as time-ordered ids do in real use. */
static void
make_id (Gen *g, char out[37])
{
  guint64 ms = (guint64) g->now + g->ids++;
  guint64 a = next (g), b = next (g);

  g_snprintf (out, 37, "%08x-%04x-7%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (ms >> 16), (guint) (ms & 0xffff), (guint) (a & 0xfff),
              (guint) (0x8000 | ((b >> 48) & 0x3fff)), b & G_GUINT64_CONSTANT (0xffffffffffff));
}

static const char *
word (Gen *g, const PvDemoWord *words, guint n)
{
  const PvDemoWord *w = &words[range (g, n)];

  return g->fa ? w->fa : w->en;
}

#define WORD(g, list) word ((g), pv_demo_##list, pv_demo_n_##list)

/* Writing ------------------------------------------------------------------ */

static PvRow *
row (Gen *g, const char *entity, const char *id, gint64 created_at)
{
  PvRow *r = g_hash_table_lookup (g->rows, entity);

  if (r == NULL)
    {
      r = pv_row_new (entity);
      g_hash_table_insert (g->rows, (gpointer) entity, r);
    }

  pv_row_clear (r);
  pv_row_set_id (r, id);
  pv_row_set_int (r, "created_at", created_at);
  pv_row_set_int (r, "updated_at", created_at);
  return r;
}

static gboolean
put (Gen *g, PvRow *r, GError **error)
{
  if (!pv_store_insert (g->store, r, error))
    return FALSE;

  g->written++;
  if (++g->in_batch < BATCH)
    return TRUE;

  g->in_batch = 0;
  if (!pv_store_commit (g->store, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (g->cancellable, error))
    return FALSE;
  if (g->progress != NULL)
    g->progress (MIN (0.99, (double) g->written / (double) g->expected), NULL, g->progress_data);

  return pv_store_begin_write (g->store, error);
}

static char *
iso_date (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((ms + TEHRAN_MS) / 1000);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* A working-hours instant on the day of ms, Tehran time. */
static gint64
working_hours (Gen *g, gint64 ms)
{
  gint64 local_day = (ms + TEHRAN_MS) / DAY_MS * DAY_MS;

  return local_day - TEHRAN_MS + (8 + range (g, 10)) * HOUR_MS + range (g, 4) * 15 * 60000;
}

/* Reference data ----------------------------------------------------------- */

static gboolean
make_teams_and_users (Gen *g, GError **error)
{
  static const PvDemoWord team_names[] = {
    { "فروش تهران", "Sales Tehran" }, { "فروش شهرستان", "Sales Provinces" },
    { "خدمات پس از فروش", "After-sales service" },
  };
  static const struct { const char *login; const char *role; int team; gboolean female; } staff[] = {
    { "admin", "admin", -1, FALSE }, { "manager1", "manager", 0, TRUE },
    { "manager2", "manager", 1, FALSE }, { "rep1", "rep", 0, FALSE }, { "rep2", "rep", 0, TRUE },
    { "rep3", "rep", 0, FALSE }, { "rep4", "rep", 1, TRUE }, { "rep5", "rep", 1, FALSE },
    { "rep6", "rep", 1, FALSE }, { "service1", "rep", 2, TRUE }, { "service2", "rep", 2, FALSE },
    { "marketing", "manager", 0, TRUE },
  };
  gint64 created = g->now - 4 * 365 * DAY_MS;

  g->teams = g_new0 (Id, G_N_ELEMENTS (team_names));
  for (guint i = 0; i < G_N_ELEMENTS (team_names); i++)
    {
      PvRow *r;

      make_id (g, g->teams[i]);
      r = row (g, "teams", g->teams[i], created);
      pv_row_set_text (r, "name", g->fa ? team_names[i].fa : team_names[i].en);
      if (!put (g, r, error))
        return FALSE;
    }

  g->n_users = G_N_ELEMENTS (staff);
  g->users = g_new0 (Id, g->n_users);
  for (guint i = 0; i < g->n_users; i++)
    {
      g_autofree char *name = NULL;
      const PvDemoWord *first = staff[i].female ?
        &pv_demo_female_names[range (g, pv_demo_n_female_names)] :
        &pv_demo_male_names[range (g, pv_demo_n_male_names)];
      const PvDemoWord *last = &pv_demo_surnames[range (g, pv_demo_n_surnames)];
      g_autofree char *email = g_ascii_strdown (first->en, -1);
      PvRow *r;

      make_id (g, g->users[i]);
      name = g_strdup_printf ("%s %s", g->fa ? first->fa : first->en, g->fa ? last->fa : last->en);
      r = row (g, "users", g->users[i], created);
      pv_row_set_text (r, "login", staff[i].login);
      pv_row_set_text (r, "name", name);
      pv_row_set_text (r, "email", (const char *) g_strconcat (email, "@payvand-demo.ir", NULL));
      pv_row_set_text (r, "role", staff[i].role);
      pv_row_set_text (r, "team_id", staff[i].team >= 0 ? g->teams[staff[i].team] : NULL);
      if (!put (g, r, error))
        return FALSE;
    }

  return TRUE;
}

/* A sales rep's user id (reps are users 3..10). */
static const char *
rep (Gen *g)
{
  return g->users[3 + range (g, 8)];
}

static gboolean
make_pipelines (Gen *g, GError **error)
{
  static const struct { const char *fa; const char *en; int probability; const char *kind;
                        const char *color; } sales[] = {
    { "سرنخ", "Lead in", 10, "open", "blue" },
    { "نیازسنجی", "Qualified", 25, "open", "teal" },
    { "ارسال پیش‌فاکتور", "Quote sent", 50, "open", "green" },
    { "مذاکره", "Negotiation", 75, "open", "yellow" },
    { "موفق", "Won", 100, "won", "green" },
    { "ناموفق", "Lost", 0, "lost", "red" },
  }, renewals[] = {
    { "یادآوری تمدید", "Renewal due", 40, "open", "purple" },
    { "پیشنهاد ارسال شد", "Offer sent", 70, "open", "orange" },
    { "تمدید شد", "Renewed", 100, "won", "green" },
    { "تمدید نشد", "Not renewed", 0, "lost", "red" },
  };
  const char *pipeline_names[][2] = { { "فروش جدید", "New sales" }, { "تمدید", "Renewals" } };
  gint64 created = g->now - 4 * 365 * DAY_MS;

  g->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g->stage_ids = g_ptr_array_new_with_free_func (g_free);
  g->pipeline_ids = g_new0 (Id, 2);

  for (guint p = 0; p < 2; p++)
    {
      guint n = p == 0 ? G_N_ELEMENTS (sales) : G_N_ELEMENTS (renewals);
      GArray *stages = g_array_new (FALSE, TRUE, sizeof (Stage));
      PvRow *r;

      make_id (g, g->pipeline_ids[p]);
      r = row (g, "pipelines", g->pipeline_ids[p], created);
      pv_row_set_text (r, "name", pipeline_names[p][g->fa ? 0 : 1]);
      pv_row_set_int (r, "position", p);
      if (!put (g, r, error))
        return FALSE;

      for (guint i = 0; i < n; i++)
        {
          char *id = g_malloc (37);
          Stage stage;

          make_id (g, id);
          g_ptr_array_add (g->stage_ids, id);
          stage.id = id;
          stage.kind = p == 0 ? sales[i].kind : renewals[i].kind;
          stage.probability = p == 0 ? sales[i].probability : renewals[i].probability;
          g_array_append_val (stages, stage);

          r = row (g, "stages", id, created);
          pv_row_set_text (r, "pipeline_id", g->pipeline_ids[p]);
          pv_row_set_text (r, "name", p == 0 ? (g->fa ? sales[i].fa : sales[i].en)
                                             : (g->fa ? renewals[i].fa : renewals[i].en));
          pv_row_set_int (r, "position", i);
          pv_row_set_int (r, "probability", stage.probability);
          pv_row_set_text (r, "color", p == 0 ? sales[i].color : renewals[i].color);
          pv_row_set_text (r, "kind", stage.kind);
          if (!put (g, r, error))
            return FALSE;
        }
      g_ptr_array_add (g->pipelines, stages);
    }

  g->lost_reasons = g_new0 (Id, pv_demo_n_lost_reasons);
  for (guint i = 0; i < pv_demo_n_lost_reasons; i++)
    {
      PvRow *r;

      make_id (g, g->lost_reasons[i]);
      r = row (g, "lost_reasons", g->lost_reasons[i], created);
      pv_row_set_text (r, "name", g->fa ? pv_demo_lost_reasons[i].fa : pv_demo_lost_reasons[i].en);
      pv_row_set_int (r, "position", i);
      if (!put (g, r, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
make_products (Gen *g, GError **error)
{
  gint64 created = g->now - 4 * 365 * DAY_MS;

  g->products = g_new0 (Id, pv_demo_n_products);
  for (guint i = 0; i < pv_demo_n_products; i++)
    {
      const PvDemoProduct *p = &pv_demo_products[i];
      PvRow *r;

      make_id (g, g->products[i]);
      r = row (g, "products", g->products[i], created);
      pv_row_set_text (r, "code", p->code);
      pv_row_set_text (r, "name", g->fa ? p->fa : p->en);
      pv_row_set_text (r, "kind", p->service ? "service" : "product");
      pv_row_set_int (r, "price", p->price);
      pv_row_set_text (r, "currency", "IRR");
      pv_row_set_int (r, "warranty_months", p->warranty_months);
      pv_row_set_int (r, "service_interval_days", p->service_interval_days);
      if (!put (g, r, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
make_campaigns (Gen *g, GError **error)
{
  static const char *channels[] = { "email", "sms", "phone", "event", "social", "ads" };

  g->n_campaigns = MAX (3, g->n / 1000);
  g->campaigns = g_new0 (Id, g->n_campaigns);
  g->campaign_starts = g_new0 (gint64, g->n_campaigns);

  for (guint i = 0; i < g->n_campaigns; i++)
    {
      gint64 starts = g->now - range64 (g, 10, 2 * 365) * DAY_MS;
      gint64 budget = (gint64) (50 + range (g, 950)) * 1000000;
      g_autofree char *starts_on = iso_date (starts);
      g_autofree char *ends_on = iso_date (starts + (15 + range (g, 45)) * DAY_MS);
      g_autofree char *name = NULL;
      g_autofree char *year = iso_date (starts);
      PvRow *r;

      year[4] = '\0';
      name = g_strdup_printf ("%s %s", WORD (g, campaign_names), year);
      make_id (g, g->campaigns[i]);
      g->campaign_starts[i] = starts;
      r = row (g, "campaigns", g->campaigns[i], starts - 20 * DAY_MS);
      pv_row_set_text (r, "name", name);
      pv_row_set_text (r, "channel", channels[range (g, G_N_ELEMENTS (channels))]);
      pv_row_set_text (r, "starts_on", starts_on);
      pv_row_set_text (r, "ends_on", ends_on);
      pv_row_set_int (r, "budget", budget);
      pv_row_set_int (r, "cost", budget * (60 + range (g, 60)) / 100);
      pv_row_set_text (r, "currency", "IRR");
      pv_row_set_text (r, "owner_id", g->users[11]);
      if (!put (g, r, error))
        return FALSE;
    }

  return TRUE;
}

/* Customers and people ------------------------------------------------------ */

static void
append_mobile (Gen *g, GString *s)
{
  static const char *prefixes[] = { "0912", "0919", "0935", "0936", "0901", "0921", "0990" };

  g_string_append_printf (s, "%s%07u", prefixes[range (g, G_N_ELEMENTS (prefixes))],
                          range (g, 10000000));
}

static char *
national_id (Gen *g)
{
  int d[10];
  int sum = 0, r;

  for (int i = 0; i < 9; i++)
    d[i] = (int) range (g, 10);
  d[0] = 1 + (int) range (g, 6);
  for (int i = 0; i < 9; i++)
    sum += d[i] * (10 - i);
  r = sum % 11;
  d[9] = r < 2 ? r : 11 - r;

  return g_strdup_printf ("%d%d%d%d%d%d%d%d%d%d", d[0], d[1], d[2], d[3], d[4], d[5], d[6],
                          d[7], d[8], d[9]);
}

static char *
json_escape (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *s);
    }
  return g_string_free (out, FALSE);
}

static gboolean
make_customer (Gen *g, guint index, GError **error)
{
  Customer *c = &g->customers[index];
  const PvDemoCity *city;
  g_autoptr(GString) phones = g_string_new ("[");
  g_autoptr(GString) emails = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *latin = NULL;
  g_autofree char *domain = NULL;
  guint pick, total = 0;
  double u = uniform (g);
  const char *stage;
  const char *relation;
  PvRow *r;

  /* A city, by weight. */
  for (guint i = 0; i < pv_demo_n_cities; i++)
    total += pv_demo_cities[i].weight;
  pick = range (g, total);
  for (c->city = 0; pick >= pv_demo_cities[c->city].weight; c->city++)
    pick -= pv_demo_cities[c->city].weight;
  city = &pv_demo_cities[c->city];

  make_id (g, c->id);
  g_strlcpy (c->owner, rep (g), sizeof c->owner);
  c->organization = chance (g, 0.3);
  c->created_at = g->now - range64 (g, 1, 4 * 365) * DAY_MS - range64 (g, 0, DAY_MS);

  stage = u < 0.15 ? "lead" : u < 0.30 ? "prospect" : u < 0.75 ? "customer" :
          u < 0.90 ? "loyal" : "churned";
  c->buyer = u >= 0.30;
  c->churned = u >= 0.90;
  u = uniform (g);
  relation = u < 0.85 ? "customer" : u < 0.91 ? "reseller" : u < 0.95 ? "supplier" :
             u < 0.98 ? "partner" : "internal";

  if (c->organization)
    {
      const PvDemoWord *kind = &pv_demo_company_kinds[range (g, pv_demo_n_company_kinds)];
      const PvDemoWord *brand = &pv_demo_company_names[range (g, pv_demo_n_company_names)];

      if (g->fa)
        name = g_strdup_printf ("%s %s %s", kind->fa, brand->fa, city->fa);
      else
        name = *kind->en ? g_strdup_printf ("%s %s %s", brand->en, kind->en, city->en)
                         : g_strdup_printf ("%s %s Co.", brand->en, city->en);
      latin = g_ascii_strdown (brand->en, -1);
      g_strdelimit (latin, " ", '-');
      domain = g_strdup_printf ("%s-%s.ir", latin, g_ascii_strdown (city->en, -1));
      g_strdelimit (domain, " ", '-');

      g_string_append_printf (phones, "{\"label\":\"office\",\"number\":\"%s-%08u\"},",
                              city->area_code, 20000000 + range (g, 79999999));
      g_string_append (phones, "{\"label\":\"mobile\",\"number\":\"");
      append_mobile (g, phones);
      g_string_append (phones, "\"}]");
      g_string_printf (emails, "[{\"label\":\"work\",\"address\":\"info@%s\"}]", domain);
    }
  else
    {
      gboolean female = chance (g, 0.4);
      const PvDemoWord *first = female ?
        &pv_demo_female_names[range (g, pv_demo_n_female_names)] :
        &pv_demo_male_names[range (g, pv_demo_n_male_names)];
      const PvDemoWord *last = &pv_demo_surnames[range (g, pv_demo_n_surnames)];
      static const char *mail[] = { "gmail.com", "yahoo.com", "chmail.ir", "outlook.com" };

      name = g_strdup_printf ("%s %s", g->fa ? first->fa : first->en, g->fa ? last->fa : last->en);
      latin = g_ascii_strdown (last->en, -1);
      g_string_append (phones, "{\"label\":\"mobile\",\"number\":\"");
      append_mobile (g, phones);
      g_string_append (phones, "\"}]");
      if (chance (g, 0.7))
        g_string_printf (emails, "[{\"label\":\"home\",\"address\":\"%c.%s%u@%s\"}]",
                         g_ascii_tolower (first->en[0]), latin, range (g, 100),
                         mail[range (g, G_N_ELEMENTS (mail))]);
    }

  r = row (g, "customers", c->id, c->created_at);
  pv_row_set_text (r, "kind", c->organization ? "organization" : "person");
  pv_row_set_text (r, "name", name);
  pv_row_set_text (r, "relation", relation);
  pv_row_set_text (r, "stage", stage);
  if (chance (g, 0.7))
    pv_row_set_text (r, "source", WORD (g, sources));
  if (c->organization)
    {
      g_autofree char *economic = g_strdup_printf ("4110%08u", range (g, 100000000));

      pv_row_set_text (r, "industry", WORD (g, industries));
      pv_row_set_text (r, "economic_code", economic);
    }
  else if (chance (g, 0.6))
    {
      g_autofree char *nid = national_id (g);
      pv_row_set_text (r, "national_id", nid);
    }
  if (!c->organization && chance (g, 0.4))
    {
      g_autofree char *birthday = iso_date (g->now - range64 (g, 25 * 365, 65 * 365) * DAY_MS);
      pv_row_set_text (r, "birthday", birthday);
    }
  pv_row_set_text (r, "city", g->fa ? city->fa : city->en);
  pv_row_set_text (r, "province", g->fa ? city->province_fa : city->province_en);
  pv_row_set_text (r, "phones", phones->str);
  if (emails->len > 0)
    pv_row_set_text (r, "emails", emails->str);
  if (chance (g, 0.5))
    {
      g_autofree char *street = g_strdup_printf (g->fa ? "خیابان %s، پلاک %u" : "%s St., No. %u",
                                                 WORD (g, company_names), 1 + range (g, 250));
      g_autofree char *street_json = json_escape (street);
      g_autofree char *address = g_strdup_printf ("[{\"label\":\"office\",\"street\":\"%s\","
                                                  "\"city\":\"%s\",\"postal_code\":\"%010u\"}]",
                                                  street_json, g->fa ? city->fa : city->en,
                                                  1000000000 + range (g, 899999999));
      pv_row_set_text (r, "addresses", address);
    }
  if (chance (g, 0.2))
    {
      g_autofree char *tag = json_escape (WORD (g, tags));
      g_autofree char *tags = g_strdup_printf ("[\"%s\"]", tag);
      pv_row_set_text (r, "tags", tags);
    }
  if (chance (g, 0.05))
    pv_row_set_text (r, "campaign_id", g->campaigns[range (g, g->n_campaigns)]);
  pv_row_set_text (r, "owner_id", c->owner);

  if (!put (g, r, error))
    return FALSE;

  /* People: an organization has 4–7, a person sometimes one (a spouse, an assistant). */
  {
    guint people = c->organization ? 4 + range (g, 4) : range (g, 2);

    for (guint i = 0; i < people; i++)
      {
        g_autoptr(GString) phone = g_string_new ("[{\"label\":\"mobile\",\"number\":\"");
        char id[37];
        gboolean female = chance (g, 0.4);
        const char *first = female ? WORD (g, female_names) : WORD (g, male_names);
        g_autofree char *person = g_strdup_printf ("%s %s", first, WORD (g, surnames));

        append_mobile (g, phone);
        g_string_append (phone, "\"}]");
        make_id (g, id);
        r = row (g, "contacts", id, c->created_at + range64 (g, 0, 30) * DAY_MS);
        pv_row_set_text (r, "customer_id", c->id);
        pv_row_set_text (r, "name", person);
        pv_row_set_text (r, "role", c->organization ? WORD (g, roles) : NULL);
        pv_row_set_text (r, "phones", phone->str);
        pv_row_set_text (r, "owner_id", c->owner);
        if (!put (g, r, error))
          return FALSE;
      }
  }

  return TRUE;
}

/* Deals ---------------------------------------------------------------------- */

static gboolean
make_deal (Gen *g, guint index, GError **error)
{
  Customer *c = &g->customers[range (g, g->n)];
  guint p = chance (g, 0.8) ? 0 : 1;
  GArray *stages = g->pipelines->pdata[p];
  guint n_open = stages->len - 2;
  double u = uniform (g);
  const Stage *stage;
  const char *status;
  gint64 created, changed, amount = 0;
  guint lines = 1 + range (g, 3);
  struct { guint product; guint quantity; double discount; } line[3];
  char *id = g->deals[index];
  g_autofree char *title = NULL;
  PvRow *r;

  status = u < 0.55 ? "open" : u < 0.80 ? "won" : "lost";
  if (g_str_equal (status, "open"))
    stage = &g_array_index (stages, Stage, range (g, n_open));
  else
    stage = &g_array_index (stages, Stage, g_str_equal (status, "won") ? n_open : n_open + 1);

  make_id (g, id);
  created = g_str_equal (status, "open") ? g->now - range64 (g, 1, 120) * DAY_MS
                                         : g->now - range64 (g, 30, 3 * 365) * DAY_MS;
  created = MAX (created, c->created_at);
  changed = created + range64 (g, 0, MAX (1, (g->now - created) / DAY_MS)) * DAY_MS / 2;

  /* The lines are drawn first: the deal's amount is their sum. */
  for (guint i = 0; i < lines; i++)
    {
      line[i].product = range (g, pv_demo_n_products);
      line[i].quantity = 1 + range (g, 8);
      line[i].discount = range (g, 3) * 5.0;
      amount += (gint64) (line[i].quantity * pv_demo_products[line[i].product].price *
                          (100.0 - line[i].discount) / 100.0);
    }
  title = g_strdup (g->fa ? pv_demo_products[line[0].product].fa
                          : pv_demo_products[line[0].product].en);

  r = row (g, "deals", id, created);
  pv_row_set_text (r, "title", title);
  pv_row_set_text (r, "customer_id", c->id);
  pv_row_set_int (r, "amount", amount);
  pv_row_set_text (r, "currency", "IRR");
  pv_row_set_text (r, "pipeline_id", g->pipeline_ids[p]);
  pv_row_set_text (r, "stage_id", stage->id);
  pv_row_set_text (r, "status", status);
  pv_row_set_int (r, "probability", stage->probability);
  pv_row_set_int (r, "stage_changed_at", changed);
  pv_row_set_real (r, "position", index);
  if (g_str_equal (status, "open"))
    {
      g_autofree char *close = iso_date (g->now + range64 (g, -20, 120) * DAY_MS);
      pv_row_set_text (r, "expected_close", close);
    }
  else
    {
      pv_row_set_int (r, "closed_at", changed);
      if (g_str_equal (status, "lost"))
        pv_row_set_text (r, "lost_reason_id", g->lost_reasons[range (g, pv_demo_n_lost_reasons)]);
    }
  if (chance (g, 0.15))
    pv_row_set_text (r, "campaign_id", g->campaigns[range (g, g->n_campaigns)]);
  pv_row_set_text (r, "owner_id", c->owner);
  pv_row_set_int (r, "updated_at", changed);
  if (!put (g, r, error))
    return FALSE;

  for (guint i = 0; i < lines; i++)
    {
      char line_id[37];

      make_id (g, line_id);
      r = row (g, "deal_lines", line_id, created);
      pv_row_set_text (r, "deal_id", id);
      pv_row_set_text (r, "product_id", g->products[line[i].product]);
      pv_row_set_real (r, "quantity", line[i].quantity);
      pv_row_set_int (r, "unit_price", pv_demo_products[line[i].product].price);
      pv_row_set_real (r, "discount_percent", line[i].discount);
      pv_row_set_text (r, "owner_id", c->owner);
      if (!put (g, r, error))
        return FALSE;
    }

  /* History: created in the first stage, moved to where it is. */
  {
    const Stage *first = &g_array_index (stages, Stage, 0);
    char history_id[37];

    make_id (g, history_id);
    r = row (g, "deal_stage_history", history_id, created);
    pv_row_set_text (r, "deal_id", id);
    pv_row_set_text (r, "to_stage_id", first->id);
    pv_row_set_int (r, "changed_at", created);
    pv_row_set_text (r, "changed_by", c->owner);
    if (!put (g, r, error))
      return FALSE;

    if (stage != first)
      {
        make_id (g, history_id);
        r = row (g, "deal_stage_history", history_id, changed);
        pv_row_set_text (r, "deal_id", id);
        pv_row_set_text (r, "from_stage_id", first->id);
        pv_row_set_text (r, "to_stage_id", stage->id);
        pv_row_set_int (r, "changed_at", changed);
        pv_row_set_text (r, "changed_by", c->owner);
        if (!put (g, r, error))
          return FALSE;
      }
  }

  return TRUE;
}

/* Activities ------------------------------------------------------------------ */

static gboolean
make_activity (Gen *g, GError **error)
{
  static const char *kinds[] = {
    "call", "call", "call", "call", "call", "call", "call", "email", "email", "email",
    "meeting", "meeting", "visit", "visit", "sms", "task", "task", "follow_up", "follow_up", "note",
  };
  Customer *c = &g->customers[range (g, g->n)];
  const char *kind = kinds[range (g, G_N_ELEMENTS (kinds))];
  gboolean future = chance (g, 0.12);
  gint64 when, span = MAX (DAY_MS, g->now - c->created_at);
  const char *subject;
  const char *assignee = chance (g, 0.8) ? c->owner : rep (g);
  gboolean timed = !g_str_equal (kind, "task") && !g_str_equal (kind, "follow_up");
  char id[37];
  PvRow *r;

  when = future ? g->now + range64 (g, 0, 45 * DAY_MS) : g->now - range64 (g, 0, span);
  when = working_hours (g, when);

  if (g_str_equal (kind, "meeting") || g_str_equal (kind, "visit"))
    subject = WORD (g, meeting_subjects);
  else if (timed)
    subject = WORD (g, call_subjects);
  else
    subject = WORD (g, task_subjects);

  make_id (g, id);
  r = row (g, "activities", id, future ? g->now - range64 (g, 0, 20) * DAY_MS : when);
  pv_row_set_text (r, "kind", kind);
  pv_row_set_text (r, "subject", subject);
  if (timed)
    {
      gint64 minutes = g_str_equal (kind, "visit") ? 120 : g_str_equal (kind, "meeting") ? 60 :
                       5 + range (g, 25);

      pv_row_set_int (r, "starts_at", when);
      pv_row_set_int (r, "ends_at", when + minutes * 60000);
      if (g_str_equal (kind, "call") || g_str_equal (kind, "email") || g_str_equal (kind, "sms"))
        pv_row_set_text (r, "direction", chance (g, 0.65) ? "out" : "in");
    }
  else
    {
      pv_row_set_int (r, "due_at", when);
    }

  /* The past is mostly done; a few are overdue. The future is not. */
  if (!future && (!g_str_equal (kind, "note") ? chance (g, 0.97) : TRUE))
    {
      pv_row_set_int (r, "done", 1);
      pv_row_set_int (r, "done_at", when + HOUR_MS);
      if (!g_str_equal (kind, "note"))
        pv_row_set_text (r, "outcome", WORD (g, outcomes));
    }
  if (future && timed)
    pv_row_set_int (r, "reminder_minutes", 10);

  pv_row_set_text (r, "customer_id", c->id);
  if (g->n_deals > 0 && chance (g, 0.1))
    pv_row_set_text (r, "deal_id", g->deals[range (g, g->n_deals)]);
  pv_row_set_text (r, "assignee_id", assignee);
  pv_row_set_text (r, "owner_id", assignee);

  return put (g, r, error);
}

/* Orders and their warranties -------------------------------------------------- */

/* A buying customer, skewed so that a fifth of them bring most of the revenue. */
static Customer *
buyer (Gen *g)
{
  double u = uniform (g);
  guint index = (guint) (u * u * u * g->n_buyers);

  return &g->customers[g->buyers[MIN (index, g->n_buyers - 1)]];
}

static gboolean
make_warranty (Gen *g, Customer *c, const char *order_id, guint product, gint64 start,
               gboolean contract, GError **error)
{
  const PvDemoProduct *p = &pv_demo_products[product];
  int months = contract ? 12 : p->warranty_months;
  g_autoptr(GDateTime) begin = g_date_time_new_from_unix_utc ((start + TEHRAN_MS) / 1000);
  g_autoptr(GDateTime) end_plus = g_date_time_add_months (begin, months);
  g_autoptr(GDateTime) end = g_date_time_add_days (end_plus, -1);
  g_autofree char *starts_on = g_date_time_format (begin, "%Y-%m-%d");
  g_autofree char *ends_on = g_date_time_format (end, "%Y-%m-%d");
  g_autofree char *serial = g_strdup_printf ("%s-%08u", p->code, range (g, 100000000));
  char id[37];
  PvRow *r;

  make_id (g, id);
  r = row (g, "warranties", id, start);
  pv_row_set_text (r, "kind", contract ? "contract" : "warranty");
  pv_row_set_text (r, "customer_id", c->id);
  pv_row_set_text (r, "product_id", g->products[product]);
  pv_row_set_text (r, "order_id", order_id);
  if (!contract)
    pv_row_set_text (r, "serial", serial);
  pv_row_set_text (r, "starts_on", starts_on);
  pv_row_set_text (r, "ends_on", ends_on);
  if (contract)
    {
      pv_row_set_int (r, "price", p->price);
      pv_row_set_text (r, "currency", "IRR");
    }
  pv_row_set_text (r, "owner_id", c->owner);

  return put (g, r, error);
}

static gboolean
make_order (Gen *g, guint index, guint64 *warranties_left, GError **error)
{
  static const char *statuses[] = {
    "paid", "paid", "paid", "paid", "paid", "paid", "paid", "delivered", "delivered",
    "invoiced", "invoiced", "confirmed", "quote", "cancelled", "returned",
  };
  Customer *c = buyer (g);
  gint64 oldest = MAX (c->created_at, g->now - 3 * 365 * DAY_MS);
  gint64 newest = c->churned ? g->now - 400 * DAY_MS : g->now;
  gint64 when = working_hours (g, range64 (g, MIN (oldest, newest - DAY_MS), newest));
  guint lines = chance (g, 0.5) ? 1 : 2;
  const char *status = statuses[range (g, G_N_ELEMENTS (statuses))];
  g_autofree char *number = g_strdup_printf ("SO-%07u", index + 1);
  struct { guint product; guint quantity; double discount; gint64 total; } line[2];
  gint64 total = 0;
  char id[37];
  PvRow *r;

  for (guint i = 0; i < lines; i++)
    {
      line[i].product = range (g, pv_demo_n_products);
      line[i].quantity = pv_demo_products[line[i].product].price < 20000000 ? 1 + range (g, 10)
                                                                             : 1 + range (g, 3);
      line[i].discount = chance (g, 0.3) ? 5.0 * (1 + range (g, 3)) : 0;
      line[i].total = (gint64) (line[i].quantity * pv_demo_products[line[i].product].price *
                                (100.0 - line[i].discount) / 100.0);
      total += line[i].total;
    }

  make_id (g, id);
  r = row (g, "orders", id, when);
  pv_row_set_text (r, "number", number);
  pv_row_set_text (r, "customer_id", c->id);
  pv_row_set_int (r, "ordered_at", when);
  pv_row_set_text (r, "status", status);
  pv_row_set_int (r, "total", total);
  pv_row_set_text (r, "currency", "IRR");
  pv_row_set_text (r, "owner_id", c->owner);
  if (!put (g, r, error))
    return FALSE;

  for (guint i = 0; i < lines; i++)
    {
      const PvDemoProduct *p = &pv_demo_products[line[i].product];
      char line_id[37];

      make_id (g, line_id);
      r = row (g, "order_lines", line_id, when);
      pv_row_set_text (r, "order_id", id);
      pv_row_set_text (r, "product_id", g->products[line[i].product]);
      pv_row_set_real (r, "quantity", line[i].quantity);
      pv_row_set_int (r, "unit_price", p->price);
      pv_row_set_real (r, "discount_percent", line[i].discount);
      pv_row_set_int (r, "total", line[i].total);
      pv_row_set_text (r, "owner_id", c->owner);
      if (!put (g, r, error))
        return FALSE;

      if (*warranties_left > 0 && (p->warranty_months > 0 || g_str_equal (p->code, "SVC-AMC")) &&
          !g_str_equal (status, "cancelled") && !g_str_equal (status, "quote") &&
          chance (g, 0.7))
        {
          (*warranties_left)--;
          if (!make_warranty (g, c, id, line[i].product, when, p->warranty_months == 0, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Service and satisfaction ---------------------------------------------------- */

static gboolean
make_survey (Gen *g, Customer *c, const char *ticket_id, const char *kind, gint64 when,
             int score, GError **error)
{
  char id[37];
  PvRow *r;

  make_id (g, id);
  r = row (g, "surveys", id, when);
  pv_row_set_text (r, "customer_id", c->id);
  pv_row_set_text (r, "ticket_id", ticket_id);
  pv_row_set_text (r, "kind", kind);
  pv_row_set_int (r, "score", score);
  pv_row_set_text (r, "comment", WORD (g, comments));
  pv_row_set_int (r, "answered_at", when);
  pv_row_set_text (r, "owner_id", c->owner);

  return put (g, r, error);
}

static gboolean
make_ticket (Gen *g, guint index, GError **error)
{
  static const char *kinds[] = { "service", "service", "service", "service", "service",
                                 "complaint", "complaint", "return", "question", "question" };
  static const char *priorities[] = { "low", "normal", "normal", "normal", "high", "urgent" };
  static const gint64 sla_hours[] = { 168, 72, 72, 72, 24, 4 };
  Customer *c = buyer (g);
  guint pr = range (g, G_N_ELEMENTS (priorities));
  gint64 opened = working_hours (g, g->now - range64 (g, 0, 2 * 365) * DAY_MS);
  gint64 due = opened + sla_hours[pr] * HOUR_MS;
  gboolean recent = g->now - opened < 10 * DAY_MS;
  double u = uniform (g);
  const char *status = recent ? (u < 0.3 ? "new" : u < 0.7 ? "open" : u < 0.85 ? "waiting" :
                                 "resolved")
                              : (u < 0.03 ? "open" : u < 0.25 ? "resolved" : "closed");
  g_autofree char *number = g_strdup_printf ("T-%06u", index + 1);
  guint product = range (g, pv_demo_n_products);
  char id[37];
  PvRow *r;

  make_id (g, id);
  r = row (g, "tickets", id, opened);
  pv_row_set_text (r, "number", number);
  pv_row_set_text (r, "customer_id", c->id);
  pv_row_set_text (r, "kind", kinds[range (g, G_N_ELEMENTS (kinds))]);
  pv_row_set_text (r, "subject", WORD (g, ticket_subjects));
  pv_row_set_text (r, "priority", priorities[pr]);
  pv_row_set_text (r, "status", status);
  pv_row_set_text (r, "product_id", g->products[product]);
  pv_row_set_int (r, "opened_at", opened);
  pv_row_set_int (r, "sla_due_at", due);
  pv_row_set_text (r, "assignee_id", g->users[9 + range (g, 2)]);
  pv_row_set_text (r, "owner_id", c->owner);

  if (g_str_equal (status, "resolved") || g_str_equal (status, "closed"))
    {
      /* Most are solved in time; some breach their SLA. */
      gint64 took = chance (g, 0.85) ? range64 (g, HOUR_MS / 2, sla_hours[pr] * HOUR_MS)
                                     : sla_hours[pr] * HOUR_MS + range64 (g, HOUR_MS, 96 * HOUR_MS);
      gint64 resolved = opened + took;

      pv_row_set_int (r, "resolved_at", resolved);
      pv_row_set_text (r, "resolution", WORD (g, resolutions));
      pv_row_set_int (r, "updated_at", resolved);
      if (g_str_equal (status, "closed") && chance (g, 0.6))
        {
          int score = took <= sla_hours[pr] * HOUR_MS ? 3 + (int) range (g, 3)
                                                      : 1 + (int) range (g, 3);

          pv_row_set_int (r, "satisfaction", score);
          if (!put (g, r, error))
            return FALSE;
          return make_survey (g, c, id, "csat", resolved + DAY_MS, score, error);
        }
    }

  return put (g, r, error);
}

static gboolean
make_campaign_members (Gen *g, GError **error)
{
  for (guint k = 0; k < g->n_campaigns; k++)
    {
      guint members = MIN (g->n / 2, 100 + range (g, 300));
      guint first = range (g, g->n);

      for (guint i = 0; i < members; i++)
        {
          /* A stride through the customers: no one twice in a campaign. */
          Customer *c = &g->customers[(first + i * 7919u) % g->n];
          gint64 start = g->campaign_starts[k];
          double u = uniform (g);
          const char *status = u < 0.5 ? "targeted" : u < 0.75 ? "contacted" :
                               u < 0.9 ? "responded" : "converted";
          char id[37];
          PvRow *r;

          make_id (g, id);
          r = row (g, "campaign_members", id, start - DAY_MS);
          pv_row_set_text (r, "campaign_id", g->campaigns[k]);
          pv_row_set_text (r, "customer_id", c->id);
          pv_row_set_text (r, "status", status);
          if (u >= 0.5)
            pv_row_set_int (r, "contacted_at", start + range64 (g, 0, 5) * DAY_MS);
          if (u >= 0.75)
            pv_row_set_int (r, "responded_at", start + range64 (g, 5, 15) * DAY_MS);
          if (u >= 0.9)
            pv_row_set_int (r, "converted_at", start + range64 (g, 15, 40) * DAY_MS);
          pv_row_set_text (r, "owner_id", g->users[11]);
          if (!put (g, r, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The whole --------------------------------------------------------------------- */

/* Between the parts of the dataset: stop if asked, say how far it is. */
static gboolean
phase (Gen *g, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (g->cancellable, error))
    return FALSE;
  if (g->progress != NULL)
    g->progress (MIN (0.99, (double) g->written / (double) g->expected), NULL, g->progress_data);
  return TRUE;
}

static gboolean
generate (Gen *g, GError **error)
{
  guint64 warranties_left = g->n / 5;

  if (!phase (g, error))
    return FALSE;

  if (!make_teams_and_users (g, error) || !make_pipelines (g, error) ||
      !make_products (g, error) || !make_campaigns (g, error))
    return FALSE;

  for (guint i = 0; i < g->n; i++)
    if (!make_customer (g, i, error))
      return FALSE;

  if (!phase (g, error))
    return FALSE;
  g->buyers = g_new0 (guint, g->n);
  for (guint i = 0; i < g->n; i++)
    if (g->customers[i].buyer)
      g->buyers[g->n_buyers++] = i;
  if (g->n_buyers == 0)
    g->buyers[g->n_buyers++] = 0;

  g->n_deals = MAX (1, g->n / 2);
  g->deals = g_new0 (Id, g->n_deals);
  for (guint i = 0; i < g->n_deals; i++)
    if (!make_deal (g, i, error))
      return FALSE;

  if (!phase (g, error))
    return FALSE;
  for (guint i = 0; i < 5 * g->n; i++)
    if (!make_order (g, i, &warranties_left, error))
      return FALSE;

  if (!phase (g, error))
    return FALSE;
  for (guint i = 0; i < g->n / 2; i++)
    if (!make_ticket (g, i, error))
      return FALSE;

  /* Net promoter answers from a tenth of the customers. */
  for (guint i = 0; i < g->n / 10; i++)
    {
      Customer *c = buyer (g);
      double u = uniform (g);
      int score = u < 0.45 ? 9 + (int) range (g, 2) : u < 0.75 ? 7 + (int) range (g, 2)
                                                             : (int) range (g, 7);

      if (!make_survey (g, c, NULL, "nps", g->now - range64 (g, 1, 700) * DAY_MS, score, error))
        return FALSE;
    }

  if (!make_campaign_members (g, error))
    return FALSE;

  if (!phase (g, error))
    return FALSE;
  for (guint i = 0; i < 10 * g->n; i++)
    if (!make_activity (g, error))
      return FALSE;

  return TRUE;
}

gboolean
pv_demo_generate (PvStore              *store,
                  const PvDemoOptions  *options,
                  PvDemoProgress        progress,
                  gpointer              user_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  Gen g = { 0 };
  guint64 seed;
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->customers > 0, FALSE);

  g.store = store;
  g.cancellable = cancellable;
  g.progress = progress;
  g.progress_data = user_data;
  g.fa = options->language == NULL || g_str_has_prefix (options->language, "fa");
  g.n = options->customers;
  g.now = pv_now_ms ();
  g.expected = (guint64) g.n * 29;
  g.rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pv_row_unref);
  g.customers = g_new0 (Customer, g.n);
  seed = options->seed;
  for (guint i = 0; i < 4; i++)
    g.s[i] = splitmix64 (&seed);

  pv_store_set_bulk (store, TRUE);
  ok = pv_store_begin_write (store, error);
  if (ok)
    {
      ok = generate (&g, error);
      if (ok)
        ok = pv_store_commit (store, error);
      else
        pv_store_rollback (store);
    }
  pv_store_set_bulk (store, FALSE);

  /* The demo is seen through the eyes of its first sales rep, unless someone signed in. */
  if (ok)
    ok = pv_store_exec (store, "UPDATE sync_state SET user_login = 'rep1'"
                               " WHERE id = 1 AND user_login IS NULL", error);
  if (ok)
    pv_store_exec (store, "PRAGMA optimize", NULL);
  if (ok && progress != NULL)
    progress (1.0, NULL, user_data);

  g_hash_table_unref (g.rows);
  g_free (g.customers);
  g_free (g.buyers);
  g_free (g.deals);
  g_free (g.users);
  g_free (g.teams);
  g_free (g.products);
  g_free (g.pipeline_ids);
  g_free (g.lost_reasons);
  g_free (g.campaigns);
  g_free (g.campaign_starts);
  g_clear_pointer (&g.pipelines, g_ptr_array_unref);
  g_clear_pointer (&g.stage_ids, g_ptr_array_unref);

  return ok;
}
