/* pv-pipeline-settings.h: the "Pipelines" preferences page: pipelines, their stages
 * (name, order, probability, colour, kind) and the lost reasons */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_PIPELINE_SETTINGS (pv_pipeline_settings_get_type ())
G_DECLARE_FINAL_TYPE (PvPipelineSettings, pv_pipeline_settings, PV, PIPELINE_SETTINGS,
                      AdwPreferencesPage)

/* The named colours a stage may have (NULL-terminated); each becomes the CSS class
 * pv-stage-color-NAME on the board. */
const char * const *pv_pipeline_settings_get_colors (void);

GtkWidget  *pv_pipeline_settings_new             (PvStore            *store);
/* The pipeline whose stages the page shows. */
const char *pv_pipeline_settings_get_pipeline_id (PvPipelineSettings *self);
void        pv_pipeline_settings_set_pipeline_id (PvPipelineSettings *self,
                                                  const char         *pipeline_id);

/* What the page's rows and buttons do; each writes through the store in one transaction.
 * A new pipeline has a Won and a Lost stage; a new stage is open and comes before the
 * won and lost ones. Ids of new records in *id when not NULL. */
gboolean    pv_pipeline_settings_add_pipeline    (PvPipelineSettings *self,
                                                  const char         *name,
                                                  char              **id,
                                                  GError            **error);
gboolean    pv_pipeline_settings_add_stage       (PvPipelineSettings *self,
                                                  const char         *name,
                                                  char              **id,
                                                  GError            **error);
/* Moves a stage delta places (-1 up/before, +1 down/after); its deals stay in it. */
gboolean    pv_pipeline_settings_move_stage      (PvPipelineSettings *self,
                                                  const char         *stage_id,
                                                  int                 delta,
                                                  GError            **error);
/* Moves the shown pipeline delta places in the header's list of pipelines. */
gboolean    pv_pipeline_settings_move_pipeline   (PvPipelineSettings *self,
                                                  int                 delta,
                                                  GError            **error);
gboolean    pv_pipeline_settings_add_lost_reason (PvPipelineSettings *self,
                                                  const char         *name,
                                                  char              **id,
                                                  GError            **error);
/* Soft delete, with an Undo toast. */
gboolean    pv_pipeline_settings_remove_lost_reason (PvPipelineSettings *self,
                                                     const char         *reason_id,
                                                     GError            **error);
/* What a stage's probability spin button does: the stage and its open deals take the
 * probability in one transaction (see pv_pipeline_set_stage_probability()); a toast says
 * how many deals changed, with Undo. */
gboolean    pv_pipeline_settings_set_stage_probability (PvPipelineSettings *self,
                                                        const char         *stage_id,
                                                        int                 probability,
                                                        GError            **error);
/* Makes a spin button show its value with the locale's digits (Persian in fa) and read
 * what is typed in any digits. */
void        pv_pipeline_localize_spin_button     (GtkSpinButton      *spin);

/* The last toast shown (a removal or a probability, with Undo), or NULL. */
AdwToast   *pv_pipeline_settings_get_last_toast  (PvPipelineSettings *self);

G_END_DECLS
