"""The database cache, with an increment that two app servers cannot both lose.

Django's `DatabaseCache.incr` reads the value, adds, and writes it back with a fresh timeout:
two simultaneous requests can both read 4 and both write 5, and every increment pushes the
expiry further away. Rate-limit counters need the opposite on both counts, so `incr` here
locks the row (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the site's IMMEDIATE
transactions already serialise writers) and keeps the row's expiry.

The table is created by `manage.py createcachetable`, which `migrate` runs for us
(iness/apps.py); Django's test runner creates it in the test database too.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._to_datetime(connection, row[1]) < now():
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {quote_name('cache_key')} = %s",
                [encoded, key],
            )
        return value

    @staticmethod
    def _to_datetime(connection, expires):
        # As DatabaseCache.get_many does: let the backend turn the raw column into an aware
        # datetime whatever the database.
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires
