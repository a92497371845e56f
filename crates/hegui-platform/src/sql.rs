//! A query assembled from parts with numbered placeholders (`$1`, `$2`, …), which both
//! SQLite and PostgreSQL read: filters and tenant scopes are added as the request needs.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            binds: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    pub fn int(&mut self, value: i64) -> &mut Sql {
        self.binds.push(Bind::Int(value));
        self.placeholder()
    }

    pub fn text(&mut self, value: &str) -> &mut Sql {
        self.binds.push(Bind::Text(value.to_string()));
        self.placeholder()
    }

    fn placeholder(&mut self) -> &mut Sql {
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    pub fn sql(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }

    pub async fn fetch_all(&self, pool: &sqlx::AnyPool) -> sqlx::Result<Vec<sqlx::any::AnyRow>> {
        self.query().fetch_all(pool).await
    }

    pub async fn fetch_optional(
        &self,
        pool: &sqlx::AnyPool,
    ) -> sqlx::Result<Option<sqlx::any::AnyRow>> {
        self.query().fetch_optional(pool).await
    }

    pub async fn execute_on(&self, conn: &mut AnyConnection) -> sqlx::Result<u64> {
        Ok(self.query().execute(conn).await?.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_in_order() {
        let mut q = super::Sql::new("SELECT 1 WHERE a = ");
        q.int(1)
            .push(" AND b = ")
            .text("x")
            .push(" AND c = ")
            .int(3);
        assert_eq!(q.sql(), "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3");
    }
}
