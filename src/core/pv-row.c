/* pv-row.c: a set of field values for one record
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-row"

#include "config.h"

#include <string.h>

#include "pv-row.h"

struct _PvRow
{
  gatomicrefcount  ref_count;
  char            *entity;
  char            *id;
  GArray          *fields;  /* PvField, in the order they were set */
};

G_DEFINE_BOXED_TYPE (PvRow, pv_row, pv_row_ref, pv_row_unref)

static void
field_clear (gpointer data)
{
  PvField *field = data;

  field->name = NULL;
  g_clear_pointer (&field->s, g_free);
}

PvRow *
pv_row_new (const char *entity)
{
  PvRow *self;

  g_return_val_if_fail (entity != NULL, NULL);

  self = g_new0 (PvRow, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->entity = g_strdup (entity);
  self->fields = g_array_sized_new (FALSE, TRUE, sizeof (PvField), 16);
  g_array_set_clear_func (self->fields, field_clear);

  return self;
}

PvRow *
pv_row_ref (PvRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pv_row_unref (PvRow *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->entity);
      g_free (self->id);
      g_array_unref (self->fields);
      g_free (self);
    }
}

const char *
pv_row_get_entity (PvRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->entity;
}

const char *
pv_row_get_id (PvRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

void
pv_row_set_id (PvRow      *self,
               const char *id)
{
  g_return_if_fail (self != NULL);

  if (self->id != id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
}

void
pv_row_clear (PvRow *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->id, g_free);
  g_array_set_size (self->fields, 0);
}

static PvField *
find_field (PvRow      *self,
            const char *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      PvField *field = &g_array_index (self->fields, PvField, i);

      if (field->name == name || strcmp (field->name, name) == 0)
        return field;
    }

  return NULL;
}

static PvField *
take_field (PvRow      *self,
            const char *name)
{
  PvField *field = find_field (self, name);

  if (field == NULL)
    {
      g_array_set_size (self->fields, self->fields->len + 1);
      field = &g_array_index (self->fields, PvField, self->fields->len - 1);
      field->name = g_intern_string (name);
    }
  else
    {
      g_clear_pointer (&field->s, g_free);
    }

  return field;
}

void
pv_row_set_text (PvRow      *self,
                 const char *name,
                 const char *value)
{
  PvField *field;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  field = take_field (self, name);
  field->type = value != NULL ? PV_VALUE_TEXT : PV_VALUE_NULL;
  field->s = g_strdup (value);
}

void
pv_row_set_int (PvRow      *self,
                const char *name,
                gint64      value)
{
  PvField *field;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  field = take_field (self, name);
  field->type = PV_VALUE_INT;
  field->i = value;
}

void
pv_row_set_real (PvRow      *self,
                 const char *name,
                 double      value)
{
  PvField *field;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  field = take_field (self, name);
  field->type = PV_VALUE_REAL;
  field->d = value;
}

void
pv_row_set_null (PvRow      *self,
                 const char *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  take_field (self, name)->type = PV_VALUE_NULL;
}

gboolean
pv_row_has (PvRow      *self,
            const char *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return find_field (self, name) != NULL;
}

guint
pv_row_get_n_fields (PvRow *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->fields->len;
}

const PvField *
pv_row_get_field (PvRow *self,
                  guint  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);

  return &g_array_index (self->fields, PvField, index);
}

const PvField *
pv_row_lookup (PvRow      *self,
               const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return find_field (self, name);
}

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_field (GString       *out,
                   const PvField *field)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  append_json_string (out, field->name);
  g_string_append_c (out, ':');

  switch (field->type)
    {
    case PV_VALUE_NULL:
      g_string_append (out, "null");
      break;
    case PV_VALUE_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, field->i);
      break;
    case PV_VALUE_REAL:
      g_string_append (out, g_ascii_dtostr (buf, sizeof buf, field->d));
      break;
    case PV_VALUE_TEXT:
      append_json_string (out, field->s);
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
pv_row_to_json (PvRow *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_sized_new (64 + 32 * self->fields->len);
  g_string_append_c (out, '{');
  for (guint i = 0; i < self->fields->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_field (out, &g_array_index (self->fields, PvField, i));
    }
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
