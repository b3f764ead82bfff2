/* pv-server.c: HTTP plumbing, sign-in and tokens
 *
 * The main loop reads requests and sends answers; a pool of worker threads answers them,
 * each worker holding one connection to the storage for the length of a request (its
 * thread's pv_server_get_storage). So a sign-in's password hashing, a large pull and the
 * pushes of other clients go on side by side: readers in parallel, writers one after the
 * other as the storage orders them (SQLite's write lock, PostgreSQL's counter row).
 */
#define G_LOG_DOMAIN "pv-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "pv-server-private.h"

#define DEFAULT_TOKEN_LIFETIME_MS (30 * 24 * 3600 * G_GINT64_CONSTANT (1000))
#define DEFAULT_MAX_BODY          (16 * 1024 * 1024)
#define GZIP_MIN_SIZE             1024
#define LOCKOUT_AFTER             5
#define LOCKOUT_MAX_MS            (15 * 60 * 1000)
#define LISTEN_BACKLOG            256

G_DEFINE_FINAL_TYPE (PvServer, pv_server, G_TYPE_OBJECT)

gint64
pv_server_now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
pv_server_finalize (GObject *object)
{
  PvServer *self = PV_SERVER (object);

  pv_server_shutdown (self);
  g_clear_pointer (&self->schema, pv_server_schema_free);
  self->storage = NULL;   /* one of the connections */
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->idle, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->epoch);
  g_free (self->dummy_hash);
  G_OBJECT_CLASS (pv_server_parent_class)->finalize (object);
}

static void
pv_server_class_init (PvServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pv_server_finalize;
}

static void
pv_server_init (PvServer *self)
{
  self->token_lifetime_ms = DEFAULT_TOKEN_LIFETIME_MS;
  self->max_body = DEFAULT_MAX_BODY;
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_storage_free);
  self->idle = g_async_queue_new ();
}

/* The connection a worker holds while it answers a request. */
static GPrivate current_storage;

PvServerStorage *
pv_server_get_storage (PvServer *self)
{
  PvServerStorage *storage = g_private_get (&current_storage);

  /* Outside a request (starting up), the first connection. */
  return storage != NULL ? storage : self->storage;
}

char *
pv_server_hash_password (const char *password,
                         GError    **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "out of memory hashing a password");
      return NULL;
    }
  return g_strdup (hash);
}

/* ------------------------------------------------------------------------------------ */
/* Responses */

static GBytes *
gzip_bytes (const char *data,
            gsize       size)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[65536];
  gsize read_total = 0;

  for (;;)
    {
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (compressor), data + read_total, size - read_total,
                                 buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                 &bytes_read, &bytes_written, NULL);
      if (res == G_CONVERTER_ERROR)
        return NULL;
      read_total += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (res == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
pv_server_respond_text (SoupServerMessage *msg,
              guint              status,
              char              *json)   /* taken */
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  gsize len = strlen (json);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (response, "Cache-Control", "no-store");
  if (len >= GZIP_MIN_SIZE &&
      soup_message_headers_header_contains (request, "Accept-Encoding", "gzip"))
    {
      g_autoptr(GBytes) gz = gzip_bytes (json, len);

      if (gz != NULL)
        {
          soup_message_headers_replace (response, "Content-Encoding", "gzip");
          soup_message_headers_replace (response, "Vary", "Accept-Encoding");
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                            g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
          g_free (json);
          return;
        }
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, len);
}

void
pv_server_respond_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  pv_server_respond_text (msg, status, json_to_string (node, FALSE));
}

void
pv_server_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *code,
                         const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  pv_server_respond_json (msg, status, node);
}

/* ------------------------------------------------------------------------------------ */
/* Requests */

static const char *
remote_address (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);

  return host != NULL ? host : "?";
}

/* Answers from the headers alone, without reading the body. A client that asked
 * "Expect: 100-continue" gets the answer in place of the go-ahead; any other would have its
 * whole body read first, so the connection is taken from libsoup, answered and closed. */
static void
refuse_before_body (SoupServerMessage *msg,
                    guint              status,
                    const char        *code,
                    const char        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;

  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      pv_server_respond_error (msg, status, code, message);
      return;
    }

  body = g_strdup_printf ("{\"error\":\"%s\",\"message\":\"%s\"}", code, message);
  answer = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: %zu\r\n"
                            "Connection: close\r\n\r\n%s",
                            status, soup_status_get_phrase (status), strlen (body), body);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer),
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Refuses a body that is too large, or of unknown length, from its headers alone. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PvServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  goffset length;

  if (!g_str_equal (method, "POST"))
    return;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      g_info ("%s %s: chunked body refused", remote_address (msg), path);
      refuse_before_body (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                          "A request body needs a Content-Length");
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > (goffset) self->max_body)
    {
      g_warning ("%s %s: body of %" G_GOFFSET_FORMAT " bytes refused",
                 remote_address (msg), path, length);
      refuse_before_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                          "The request body is too large");
    }
}

/* The request body, inflated when it came gzipped, never larger than max_body. */
static GBytes *
read_body (PvServer          *self,
           SoupServerMessage *msg,
           PvServerFailure   *failure)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) raw = soup_message_body_flatten (body);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autoptr(GInputStream) mem = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GZlibDecompressor) inflater = NULL;
  g_autoptr(GByteArray) out = NULL;
  guint8 buffer[65536];

  if (g_bytes_get_size (raw) > self->max_body)
    {
      failure->status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      failure->code = g_strdup ("too_large");
      failure->message = g_strdup ("The request body is too large");
      return NULL;
    }
  if (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
    return g_steal_pointer (&raw);
  if (g_ascii_strcasecmp (encoding, "gzip") != 0)
    {
      failure->status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
      failure->code = g_strdup ("unsupported_encoding");
      failure->message = g_strdup ("Only gzip request bodies are accepted");
      return NULL;
    }

  mem = g_memory_input_stream_new_from_bytes (raw);
  inflater = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  in = g_converter_input_stream_new (mem, G_CONVERTER (inflater));
  out = g_byte_array_new ();
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

      if (n < 0)
        {
          failure->status = SOUP_STATUS_BAD_REQUEST;
          failure->code = g_strdup ("bad_encoding");
          failure->message = g_strdup_printf ("The gzip body cannot be read: %s", error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (out->len + (gsize) n > self->max_body)
        {
          failure->status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
          failure->code = g_strdup ("too_large");
          failure->message = g_strdup ("The inflated request body is too large");
          return NULL;
        }
      g_byte_array_append (out, buffer, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static JsonObject *
parse_body_object (PvServer          *self,
                   SoupServerMessage *msg,
                   PvServerFailure   *failure)
{
  g_autoptr(GBytes) bytes = read_body (self, msg, failure);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (bytes == NULL)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &error))
    {
      failure->status = SOUP_STATUS_BAD_REQUEST;
      failure->code = g_strdup ("malformed_json");
      failure->message = g_strdup_printf ("The body is not JSON: %s", error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      failure->status = SOUP_STATUS_BAD_REQUEST;
      failure->code = g_strdup ("malformed_json");
      failure->message = g_strdup ("The body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static char *
hash_token (const char *token)
{
  guint8 digest[32];

  crypto_generichash (digest, sizeof digest, (const guint8 *) token, strlen (token), NULL, 0);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, digest, sizeof digest);
}

static gboolean
authenticate (PvServer          *self,
              SoupServerMessage *msg,
              PvServerCaller    *caller)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expires_at = 0;

  caller->address = remote_address (msg);
  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 200)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      pv_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                               "Sign in first");
      return FALSE;
    }
  hash = hash_token (auth + strlen ("Bearer "));
  if (!pv_server_get_storage (self)->vtable->get_token (pv_server_get_storage (self), hash, &account_id, &client_id,
                                         &expires_at, &error))
    {
      if (error != NULL)
        g_warning ("token lookup: %s", error->message);
      g_info ("%s: unknown token", caller->address);
      pv_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                               "The token is not valid; sign in again");
      return FALSE;
    }
  if (expires_at <= pv_server_now_ms ())
    {
      g_info ("%s: expired token", caller->address);
      pv_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "token_expired",
                               "The token has expired; sign in again");
      return FALSE;
    }
  caller->account = pv_server_get_storage (self)->vtable->get_account (pv_server_get_storage (self), account_id, NULL, NULL);
  if (caller->account == NULL || !caller->account->active)
    {
      g_clear_pointer (&caller->account, pv_server_account_free);
      pv_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                               "The account is disabled");
      return FALSE;
    }
  caller->client_id = g_steal_pointer (&client_id);
  return TRUE;
}

static gboolean
valid_client_id (const char *s)
{
  gsize len;

  if (s == NULL || (len = strlen (s)) < 8 || len > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
handle_login (PvServer          *self,
              SoupServerMessage *msg,
              JsonObject        *body)
{
  const PvServerStorageVTable *st = pv_server_get_storage (self)->vtable;
  const char *login = get_string_member (body, "user");
  const char *password = get_string_member (body, "password");
  const char *client_id = get_string_member (body, "client_id");
  const char *address = remote_address (msg);
  g_autoptr(PvServerAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint8 raw[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  gint64 now = pv_server_now_ms ();
  gint64 last_mutation = -1;
  gint64 locked_until = 0;
  int failures = 0;
  gboolean ok;

  if (login == NULL || password == NULL || client_id == NULL)
    {
      pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                               "user, password and client_id are required strings");
      return;
    }
  if (!valid_client_id (client_id) || strlen (login) > 200 || strlen (password) > 4096)
    {
      pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                               "client_id must be 8 to 64 letters, digits or dashes");
      return;
    }

  st->get_login_failures (pv_server_get_storage (self), login, address, &failures, &locked_until, NULL);
  if (locked_until > now)
    {
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (locked_until - now + 999) / 1000);

      g_warning ("login %s from %s refused: locked after %d failures", login, address, failures);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry);
      pv_server_respond_error (msg, 429, "locked",
                               "Too many failed sign-ins; try again later");
      return;
    }

  account = st->get_account (pv_server_get_storage (self), NULL, login, NULL);
  if (account != NULL && account->active)
    ok = crypto_pwhash_str_verify (account->password_hash, password, strlen (password)) == 0;
  else
    {
      /* The same work for an unknown user, so timing does not tell who exists. */
      if (crypto_pwhash_str_verify (self->dummy_hash, password, strlen (password)) == 0)
        g_assert_not_reached ();
      ok = FALSE;
    }

  if (!ok)
    {
      failures++;
      if (failures >= LOCKOUT_AFTER)
        locked_until = now + MIN ((gint64) 1000 << MIN (failures - LOCKOUT_AFTER, 20),
                                  LOCKOUT_MAX_MS);
      st->put_login_failures (pv_server_get_storage (self), login, address, failures, locked_until, NULL);
      g_warning ("login %s from %s failed (%d)", login, address, failures);
      pv_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "bad_credentials",
                               "Wrong user name or password");
      return;
    }

  if (!st->begin (pv_server_get_storage (self), &error))
    goto fail;
  if (failures > 0)
    st->put_login_failures (pv_server_get_storage (self), login, address, 0, 0, NULL);
  if (st->get_client (pv_server_get_storage (self), client_id, &owner, &last_mutation, &error))
    {
      if (!g_str_equal (owner, account->id))
        {
          st->rollback (pv_server_get_storage (self));
          g_warning ("login %s from %s refused: client %s belongs to another account",
                     login, address, client_id);
          pv_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forged_client",
                                   "This client id belongs to another user");
          return;
        }
    }
  else if (error != NULL ||
           !st->put_client (pv_server_get_storage (self), client_id, account->id, -1, &error))
    goto fail;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  hash = hash_token (token);
  if (!st->delete_tokens (pv_server_get_storage (self), NULL, now, &error) ||
      !st->put_token (pv_server_get_storage (self), hash, account->id, client_id,
                      now + self->token_lifetime_ms, &error) ||
      !st->commit (pv_server_get_storage (self), &error))
    goto fail;
  sodium_memzero (raw, sizeof raw);

  g_message ("login %s (%s) from %s, client %s", login, account->role, address, client_id);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_int_value (b, now + self->token_lifetime_ms);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, account->id);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, account->login);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, account->role);
  json_builder_set_member_name (b, "team");
  if (account->team != NULL)
    json_builder_add_string_value (b, account->team);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "server_epoch");
  json_builder_add_string_value (b, self->epoch);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  pv_server_respond_json (msg, SOUP_STATUS_OK, node);
  sodium_memzero (token, sizeof token);
  return;

fail:
  st->rollback (pv_server_get_storage (self));
  g_critical ("login: %s", error->message);
  pv_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                           "The server could not complete the sign-in");
}

static void
caller_clear (PvServerCaller *caller)
{
  g_clear_pointer (&caller->account, pv_server_account_free);
  g_clear_pointer (&caller->client_id, g_free);
}

/* Answers one request, on a worker thread that holds a connection. */
static void
dispatch (PvServer          *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean post = g_str_equal (method, "POST");
  gboolean get = g_str_equal (method, "GET");
  PvServerFailure failure = { 0, };
  PvServerCaller caller = { 0, };
  g_autoptr(JsonObject) body = NULL;
  gint64 start = g_get_monotonic_time ();

  if (post)
    {
      body = parse_body_object (self, msg, &failure);
      if (body == NULL)
        {
          g_info ("%s %s %s: %s", remote_address (msg), method, path, failure.message);
          pv_server_respond_error (msg, failure.status, failure.code, failure.message);
          g_free (failure.code);
          g_free (failure.message);
          return;
        }
    }
  if (g_str_equal (path, "/v1/login"))
    {
      if (!post)
        goto bad_method;
      handle_login (self, msg, body);
    }
  else if (g_str_equal (path, "/v1/push"))
    {
      if (!post)
        goto bad_method;
      if (authenticate (self, msg, &caller))
        pv_server_handle_push (self, msg, &caller, body);
    }
  else if (g_str_equal (path, "/v1/pull"))
    {
      if (!get)
        goto bad_method;
      if (authenticate (self, msg, &caller))
        pv_server_handle_pull (self, msg, &caller, query);
    }
  else if (g_str_equal (path, "/v1/conflicts"))
    {
      if (!get)
        goto bad_method;
      if (authenticate (self, msg, &caller))
        pv_server_handle_conflicts (self, msg, &caller);
    }
  else if (g_str_has_prefix (path, "/v1/conflicts/") && g_str_has_suffix (path, "/resolve"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/v1/conflicts/"),
                                       strlen (path) - strlen ("/v1/conflicts/")
                                       - strlen ("/resolve"));
      if (!post)
        goto bad_method;
      if (authenticate (self, msg, &caller))
        pv_server_handle_resolve (self, msg, &caller, id, body);
    }
  else
    pv_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");

  g_debug ("%s %s %s → %u in %.1f ms", remote_address (msg), method, path,
           soup_server_message_get_status (msg),
           (g_get_monotonic_time () - start) / 1000.0);
  caller_clear (&caller);
  return;

bad_method:
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                post ? "GET" : "POST");
  pv_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                           "This endpoint does not take this method");
  caller_clear (&caller);
}

typedef struct
{
  PvServer          *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
} Request;

static gboolean
send_answer_cb (gpointer data)
{
  Request *r = data;

  soup_server_message_unpause (r->msg);
  g_object_unref (r->msg);
  g_free (r->path);
  g_clear_pointer (&r->query, g_hash_table_unref);
  g_object_unref (r->self);
  g_free (r);
  return G_SOURCE_REMOVE;
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  Request *r = data;
  PvServer *self = user_data;
  PvServerStorage *storage = g_async_queue_pop (self->idle);

  g_private_set (&current_storage, storage);
  dispatch (self, r->msg, r->path, r->query);
  g_private_set (&current_storage, NULL);
  g_async_queue_push (self->idle, storage);
  /* The message is the main loop's again: it sends the answer. */
  g_main_context_invoke (self->context, send_answer_cb, r);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PvServer *self = user_data;
  Request *r;

  if (soup_server_message_get_status (msg) != 0)
    return;   /* refused early */

  r = g_new0 (Request, 1);
  r->self = g_object_ref (self);
  r->msg = g_object_ref (msg);
  r->path = g_strdup (path);
  r->query = query != NULL ? g_hash_table_ref (query) : NULL;
  soup_server_message_pause (msg);
  g_thread_pool_push (self->workers, r, NULL);
}

static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  if (soup_server_message_get_status (msg) != 0)
    return;
  pv_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}

/* ------------------------------------------------------------------------------------ */

PvServer *
pv_server_new (PvServerStorage *storage,
               GError         **error)
{
  g_autoptr(PvServer) self = g_object_new (PV_TYPE_SERVER, NULL);

  self->storage = storage;
  pv_server_add_connection (self, storage);
  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium cannot start");
      return NULL;
    }
  self->schema = pv_server_schema_load (error);
  if (self->schema == NULL)
    return NULL;
  self->epoch = storage->vtable->get_meta (storage, "server_epoch", error);
  if (self->epoch == NULL)
    return NULL;
  self->dummy_hash = pv_server_hash_password ("payvand-dummy-password", error);
  if (self->dummy_hash == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* One more connection to the storage, for one more request at a time. Before listening. */
void
pv_server_add_connection (PvServer        *self,
                          PvServerStorage *storage)
{
  g_return_if_fail (PV_IS_SERVER (self));
  g_return_if_fail (self->workers == NULL);
  g_ptr_array_add (self->connections, storage);
  g_async_queue_push (self->idle, storage);
}

void
pv_server_set_token_lifetime (PvServer *self,
                              gint64    seconds)
{
  g_return_if_fail (PV_IS_SERVER (self));
  self->token_lifetime_ms = seconds * 1000;
}

void
pv_server_set_max_body (PvServer *self,
                        gsize     bytes)
{
  g_return_if_fail (PV_IS_SERVER (self));
  self->max_body = bytes;
}

gboolean
pv_server_listen (PvServer        *self,
                  const char      *address,
                  guint            port,
                  GTlsCertificate *certificate,
                  GError         **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (PV_IS_SERVER (self), FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s is not an IP address", address);
      return FALSE;
    }
  self->soup = g_object_new (SOUP_TYPE_SERVER,
                             "server-header", "payvand-server/" PACKAGE_VERSION " ",
                             "tls-certificate", certificate,
                             NULL);
  self->context = g_main_context_ref_thread_default ();
  self->workers = g_thread_pool_new (worker_cb, self, (int) self->connections->len, FALSE,
                                     error);
  if (self->workers == NULL)
    return FALSE;
  soup_server_add_early_handler (self->soup, "/v1", early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, "/v1", handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, not_found_cb, self, NULL);

  /* Our own socket, for a listen backlog larger than GSocket's default of 10: with that,
   * a few dozen clients connecting at once saw resets and waited seconds for SYN retries
   * (bench/bench-sync.c, 50 clients). */
  sockaddr = g_inet_socket_address_new (inet, port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, sockaddr, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (self->soup, socket,
                                    certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

char *
pv_server_get_uri (PvServer *self)
{
  GSList *uris;
  char *s = NULL;

  g_return_val_if_fail (PV_IS_SERVER (self), NULL);
  if (self->soup == NULL)
    return NULL;
  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    s = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return s;
}

void
pv_server_shutdown (PvServer *self)
{
  if (self->workers != NULL)
    {
      /* Every request taken is answered: wait for the workers, then send what they
       * answered before the connections close. */
      g_thread_pool_free (g_steal_pointer (&self->workers), FALSE, TRUE);
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}
