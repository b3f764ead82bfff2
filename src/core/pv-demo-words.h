/* pv-demo-words.h: the words the demo dataset is made of, in Persian and English */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *fa;
  const char *en;
} PvDemoWord;

typedef struct
{
  const char *fa;
  const char *en;
  const char *province_fa;
  const char *province_en;
  const char *area_code;
  guint       weight;      /* how many customers live there, roughly */
} PvDemoCity;

typedef struct
{
  const char *code;
  const char *fa;
  const char *en;
  gboolean    service;
  gint64      price;        /* Rials */
  int         warranty_months;
  int         service_interval_days;
} PvDemoProduct;

#define PV_DEMO_N(array) (G_N_ELEMENTS (array))

extern const PvDemoWord pv_demo_male_names[];
extern const guint pv_demo_n_male_names;
extern const PvDemoWord pv_demo_female_names[];
extern const guint pv_demo_n_female_names;
extern const PvDemoWord pv_demo_surnames[];
extern const guint pv_demo_n_surnames;
extern const PvDemoWord pv_demo_company_kinds[];
extern const guint pv_demo_n_company_kinds;
extern const PvDemoWord pv_demo_company_names[];
extern const guint pv_demo_n_company_names;
extern const PvDemoWord pv_demo_industries[];
extern const guint pv_demo_n_industries;
extern const PvDemoWord pv_demo_roles[];
extern const guint pv_demo_n_roles;
extern const PvDemoWord pv_demo_tags[];
extern const guint pv_demo_n_tags;
extern const PvDemoWord pv_demo_sources[];
extern const guint pv_demo_n_sources;
extern const PvDemoCity pv_demo_cities[];
extern const guint pv_demo_n_cities;
extern const PvDemoProduct pv_demo_products[];
extern const guint pv_demo_n_products;
extern const PvDemoWord pv_demo_lost_reasons[];
extern const guint pv_demo_n_lost_reasons;
extern const PvDemoWord pv_demo_call_subjects[];
extern const guint pv_demo_n_call_subjects;
extern const PvDemoWord pv_demo_meeting_subjects[];
extern const guint pv_demo_n_meeting_subjects;
extern const PvDemoWord pv_demo_task_subjects[];
extern const guint pv_demo_n_task_subjects;
extern const PvDemoWord pv_demo_outcomes[];
extern const guint pv_demo_n_outcomes;
extern const PvDemoWord pv_demo_ticket_subjects[];
extern const guint pv_demo_n_ticket_subjects;
extern const PvDemoWord pv_demo_resolutions[];
extern const guint pv_demo_n_resolutions;
extern const PvDemoWord pv_demo_campaign_names[];
extern const guint pv_demo_n_campaign_names;
extern const PvDemoWord pv_demo_comments[];
extern const guint pv_demo_n_comments;

G_END_DECLS
