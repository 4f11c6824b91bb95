/* docket-field-editor.c: an editor for one field's value, by its type
 *
 * A text field gets an entry, a long text a text view, a choice a drop-down,
 * a multiple choice a list of check boxes, a number a spin button (whose
 * text shows the value exactly, and may be empty), a boolean a switch, a
 * date an entry that takes YYYY-MM-DD. The value is checked as it is
 * typed, with the same rule the queue applies, and a problem is said in
 * words under the editor. An empty date or number is no value (JSON null),
 * and a number takes a comma for its decimal point.
 *
 * A field counts as corrected when its value differs from the one the
 * editor started with, not from the model's: an editor cannot show every
 * model value exactly (a null number shows 0, 812.125 shows 812.13), and
 * leaving it untouched must not correct anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-field-editor"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "docket-a11y.h"
#include "docket-field-editor.h"
#include "docket-json.h"

struct _DocketFieldEditor
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkBox   *box;
  GtkLabel *title_label;
  GtkLabel *problem;

  /* Owned references */
  DocketField *field;
  GPtrArray   *checks;    /* multi_choice: one check button per choice */
  char        *initial;   /* the canonical JSON of the value it started with, or NULL */
  gboolean     no_number; /* number: the spin button is empty, which is no value, not 0 */

  /* Borrowed references */
  GtkWidget *editor; /* in box, built for the field's type */
};

G_DEFINE_FINAL_TYPE (DocketFieldEditor, docket_field_editor, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
model_string (DocketField *field)
{
  JsonNode *value = docket_field_get_value (field);

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value)
      && json_node_get_value_type (value) == G_TYPE_STRING)
    return json_node_get_string (value);
  return "";
}

/* The shortest text that reads back as @number: 0.1, not 0.10000000000000001. */
static char *
format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", number);
  if (g_ascii_strtod (buffer, NULL) != number)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", number);
  return g_strdup (buffer);
}

/* Reads a number as a reviewer types it: "12,5" is how much of Europe
 * writes 12.5; "1,234.5" is refused rather than guessed at. */
static gboolean
parse_number (const char *typed,
              double     *number)
{
  g_autofree char *text = g_strstrip (g_strdup (typed));
  char            *end = NULL;

  if (strchr (text, '.') == NULL)
    g_strdelimit (text, ",", '.');
  *number = g_ascii_strtod (text, &end);
  return *text != '\0' && end != text && *end == '\0' && isfinite (*number);
}

/* An empty spin button is no value, not 0; anything else must be a number. */
static int
number_input_cb (GtkSpinButton     *spin,
                 double            *value,
                 DocketFieldEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));

  self->no_number = *text == '\0';
  if (self->no_number)
    {
      *value = gtk_spin_button_get_value (spin);
      return TRUE;
    }
  return parse_number (text, value) ? TRUE : GTK_INPUT_ERROR;
}

static gboolean
number_output_cb (GtkSpinButton     *spin,
                  DocketFieldEditor *self)
{
  g_autofree char *text = NULL;

  if (self->no_number)
    text = g_strdup ("");
  else
    text = format_number (gtk_spin_button_get_value (spin));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Up or Down on an empty spin button gives it a value. */
static void
number_value_changed_cb (GtkSpinButton     *spin,
                         DocketFieldEditor *self)
{
  if (!self->no_number)
    return;
  self->no_number = FALSE;
  number_output_cb (spin, self);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static void
update_problem (DocketFieldEditor *self)
{
  g_autofree char *problem = NULL;
  g_autoptr(JsonNode) value = docket_field_editor_get_value (self, &problem);

  gtk_label_set_text (self->problem, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (self->editor, "error");
  else
    gtk_widget_remove_css_class (self->editor, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_STATE_INVALID,
                               problem != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static gboolean
text_key_pressed_cb (GtkEventControllerKey *keys,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     gpointer               user_data)
{
  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter)
      || (state & GDK_CONTROL_MASK) == 0)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate_action (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (keys)),
                              "win.submit-correction", NULL);
  return GDK_EVENT_STOP;
}

static void
day_selected_cb (GtkCalendar       *calendar,
                 DocketFieldEditor *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->editor), text);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (calendar),
                                                             GTK_TYPE_POPOVER)));
}

/* The calendar opens on the date typed, if it is one. */
static void
calendar_shown_cb (GtkPopover        *popover,
                   DocketFieldEditor *self)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char  *text = gtk_editable_get_text (GTK_EDITABLE (self->editor));
  g_autoptr(JsonNode) value = string_node (text);
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (docket_field_check_value (self->field, value, NULL)
      && sscanf (text, "%4d-%2d-%2d", &year, &month, &day) == 3)
    date = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (date == NULL)
    date = g_date_time_new_now_local ();
  g_signal_handlers_block_by_func (calendar, day_selected_cb, self);
  gtk_calendar_select_day (calendar, date);
  g_signal_handlers_unblock_by_func (calendar, day_selected_cb, self);
}

/* A date is typed, or picked from a calendar beside the entry. */
static GtkWidget *
with_calendar (DocketFieldEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_hexpand (self->editor, TRUE);
  gtk_box_append (GTK_BOX (box), self->editor);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (button, _ ("Choose a Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Choose a Date"), -1);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (day_selected_cb), self);
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  g_signal_connect (popover, "show", G_CALLBACK (calendar_shown_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static GtkWidget *
build_editor (DocketFieldEditor *self)
{
  DocketField        *field = self->field;
  JsonNode           *value = docket_field_get_value (field);
  const char * const *choices = docket_field_get_choices (field);

  switch (docket_field_get_field_type (field))
    {
    case DOCKET_FIELD_TEXT:
    case DOCKET_FIELD_DATE:
      {
        GtkWidget *entry = gtk_entry_new ();

        gtk_editable_set_text (GTK_EDITABLE (entry), model_string (field));
        if (docket_field_get_field_type (field) == DOCKET_FIELD_DATE)
          gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("YYYY-MM-DD"));
        g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_problem), self);
        return entry;
      }

    case DOCKET_FIELD_LONG_TEXT:
      {
        GtkWidget          *view = gtk_text_view_new ();
        GtkTextBuffer      *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
        GtkEventController *keys;

        gtk_text_buffer_set_text (buffer, model_string (field), -1);
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
        gtk_widget_set_size_request (view, -1, 96);
        gtk_widget_add_css_class (view, "card");
        g_signal_connect_swapped (buffer, "changed", G_CALLBACK (update_problem), self);
        /* Enter is a new line here, so Ctrl+Enter must be caught before
         * the text view takes it as one. */
        keys = gtk_event_controller_key_new ();
        gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
        g_signal_connect (keys, "key-pressed", G_CALLBACK (text_key_pressed_cb), NULL);
        gtk_widget_add_controller (view, keys);
        return view;
      }

    case DOCKET_FIELD_CHOICE:
      {
        GtkWidget *dropdown = gtk_drop_down_new_from_strings (choices);
        guint      selected = 0;

        for (guint i = 0; choices[i]; i++)
          if (g_str_equal (choices[i], model_string (field)))
            selected = i;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
        g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (update_problem), self);
        return dropdown;
      }

    case DOCKET_FIELD_MULTI_CHOICE:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
        JsonArray *chosen = value != NULL && JSON_NODE_HOLDS_ARRAY (value)
                              ? json_node_get_array (value)
                              : NULL;

        for (guint i = 0; choices[i]; i++)
          {
            GtkWidget *check = gtk_check_button_new ();
            GtkWidget *label = gtk_label_new (choices[i]);

            gtk_label_set_wrap (GTK_LABEL (label), TRUE);
            gtk_label_set_xalign (GTK_LABEL (label), 0);
            gtk_check_button_set_child (GTK_CHECK_BUTTON (check), label);
            /* A child label is not the button's name for a screen reader. */
            gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            choices[i], -1);
            for (guint j = 0; chosen != NULL && j < json_array_get_length (chosen); j++)
              if (g_strcmp0 (json_array_get_string_element (chosen, j), choices[i]) == 0)
                gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
            g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_problem), self);
            g_ptr_array_add (self->checks, check);
            gtk_box_append (GTK_BOX (box), check);
          }
        return box;
      }

    case DOCKET_FIELD_NUMBER:
      {
        /* The spin button's text is ours (see number_input_cb): it shows
         * the value as the model gave it, not rounded to a number of
         * digits, and may be empty. */
        GtkWidget *spin = gtk_spin_button_new_with_range (-1e15, 1e15, 1);

        gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
        gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
        g_signal_connect (spin, "input", G_CALLBACK (number_input_cb), self);
        g_signal_connect (spin, "output", G_CALLBACK (number_output_cb), self);
        if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
          {
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), json_node_get_double (value));
            number_output_cb (GTK_SPIN_BUTTON (spin), self);
          }
        else
          {
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
            self->no_number = TRUE;
            gtk_editable_set_text (GTK_EDITABLE (spin), "");
          }
        g_signal_connect (spin, "value-changed", G_CALLBACK (number_value_changed_cb), self);
        g_signal_connect_swapped (spin, "changed", G_CALLBACK (update_problem), self);
        return spin;
      }

    case DOCKET_FIELD_BOOLEAN:
      {
        GtkWidget *toggle = gtk_switch_new ();

        gtk_widget_set_halign (toggle, GTK_ALIGN_START);
        if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
          gtk_switch_set_active (GTK_SWITCH (toggle), json_node_get_boolean (value));
        g_signal_connect_swapped (toggle, "notify::active", G_CALLBACK (update_problem), self);
        return toggle;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
docket_field_editor_constructed (GObject *object)
{
  DocketFieldEditor *self = DOCKET_FIELD_EDITOR (object);
  const char        *title;

  G_OBJECT_CLASS (docket_field_editor_parent_class)->constructed (object);

  g_assert (DOCKET_IS_FIELD (self->field));
  title = docket_field_get_title (self->field);
  gtk_label_set_text (self->title_label, title);
  self->editor = build_editor (self);
  if (GTK_IS_DROP_DOWN (self->editor))
    docket_a11y_label_drop_down (GTK_DROP_DOWN (self->editor), title);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    title, -1);
  gtk_box_insert_child_after (self->box,
                              docket_field_get_field_type (self->field) == DOCKET_FIELD_DATE
                                ? with_calendar (self)
                                : self->editor,
                              GTK_WIDGET (self->title_label));

  update_problem (self);
  {
    g_autoptr(JsonNode) initial = docket_field_editor_get_value (self, NULL);

    self->initial = initial != NULL ? docket_json_canonical (initial) : NULL;
  }
}

static void
docket_field_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketFieldEditor *self = DOCKET_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_field_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DocketFieldEditor *self = DOCKET_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      self->field = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_field_editor_dispose (GObject *object)
{
  DocketFieldEditor *self = DOCKET_FIELD_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_FIELD_EDITOR);
  self->editor = NULL;
  g_clear_object (&self->field);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->initial, g_free);

  G_OBJECT_CLASS (docket_field_editor_parent_class)->dispose (object);
}

static void
docket_field_editor_class_init (DocketFieldEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_field_editor_constructed;
  object_class->get_property = docket_field_editor_get_property;
  object_class->set_property = docket_field_editor_set_property;
  object_class->dispose = docket_field_editor_dispose;

  /* The field whose value is edited; the editor is built for its type. */
  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL, DOCKET_TYPE_FIELD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-field-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketFieldEditor, box);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldEditor, problem);
}

static void
docket_field_editor_init (DocketFieldEditor *self)
{
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_field_editor_new (DocketField *field)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (field), NULL);

  return g_object_new (DOCKET_TYPE_FIELD_EDITOR, "field", field, NULL);
}

DocketField *
docket_field_editor_get_field (DocketFieldEditor *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD_EDITOR (self), NULL);
  return self->field;
}

/**
 * docket_field_editor_get_value:
 * @problem: (out) (optional): why the value cannot be sent, when it cannot
 *
 * Returns: (transfer full) (nullable): the value in the editor, or %NULL
 *   when it is not one the field can hold
 */
JsonNode *
docket_field_editor_get_value (DocketFieldEditor *self,
                               char             **problem)
{
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *why = NULL;

  g_return_val_if_fail (DOCKET_IS_FIELD_EDITOR (self), NULL);

  switch (docket_field_get_field_type (self->field))
    {
    case DOCKET_FIELD_TEXT:
      value = string_node (gtk_editable_get_text (GTK_EDITABLE (self->editor)));
      break;

    case DOCKET_FIELD_DATE:
      {
        const char      *typed = gtk_editable_get_text (GTK_EDITABLE (self->editor));
        g_autofree char *text = g_strstrip (g_strdup (typed));

        value = *text == '\0' ? json_node_new (JSON_NODE_NULL) : string_node (text);
      }
      break;

    case DOCKET_FIELD_LONG_TEXT:
      {
        GtkTextBuffer   *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor));
        GtkTextIter      start, end;
        g_autofree char *text = NULL;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        value = string_node (text);
      }
      break;

    case DOCKET_FIELD_CHOICE:
      {
        guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->editor));

        value = string_node (docket_field_get_choices (self->field)[selected]);
      }
      break;

    case DOCKET_FIELD_MULTI_CHOICE:
      {
        JsonArray *array = json_array_new ();

        for (guint i = 0; i < self->checks->len; i++)
          if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
            json_array_add_string_element (array, docket_field_get_choices (self->field)[i]);
        value = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (value, array);
      }
      break;

    case DOCKET_FIELD_NUMBER:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->editor));
        double      number;

        if (text[strspn (text, " \t")] == '\0')
          {
            value = json_node_new (JSON_NODE_NULL);
            break;
          }
        if (!parse_number (text, &number))
          {
            if (problem != NULL)
              *problem = g_strdup (_ ("Enter a number, such as 812.50"));
            return NULL;
          }
        value = json_node_new (JSON_NODE_VALUE);
        json_node_set_double (value, number);
      }
      break;

    case DOCKET_FIELD_BOOLEAN:
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (value, gtk_switch_get_active (GTK_SWITCH (self->editor)));
      break;

    default:
      g_assert_not_reached ();
    }

  if (!docket_field_check_value (self->field, value, &why))
    {
      if (problem != NULL)
        /* Translators: what a value needs, as the codec says it: "must be a number". */
        *problem = g_strdup_printf (_ ("The value %s"), why);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* Whether the editor holds a value other than the one it started with. */
gboolean
docket_field_editor_is_changed (DocketFieldEditor *self)
{
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (DOCKET_IS_FIELD_EDITOR (self), FALSE);

  value = docket_field_editor_get_value (self, NULL);
  if (value == NULL || self->initial == NULL)
    return TRUE;
  now = docket_json_canonical (value);
  return !g_str_equal (now, self->initial);
}

/* Puts @text into the editor as a reviewer would: typed into a text, a
 * date or a number, picked from a choice. */
void
docket_field_editor_set_text (DocketFieldEditor *self,
                              const char        *text)
{
  g_return_if_fail (DOCKET_IS_FIELD_EDITOR (self));

  if (GTK_IS_DROP_DOWN (self->editor))
    {
      const char * const *choices = docket_field_get_choices (self->field);

      for (guint i = 0; choices[i]; i++)
        if (g_str_equal (choices[i], text))
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->editor), i);
    }
  else if (GTK_IS_TEXT_VIEW (self->editor))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor)), text, -1);
  else if (GTK_IS_EDITABLE (self->editor))
    gtk_editable_set_text (GTK_EDITABLE (self->editor), text);
}
