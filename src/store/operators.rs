use super::{now, on_db, Store};
use crate::error::{Error, Result};
use crate::operators::{Operator, OperatorFields, Role};
use crate::Id;

const COLUMNS: &str =
    "id, name, email, role, is_active, password_hash IS NOT NULL AS has_password, \
                       created_at, updated_at";
const EMAIL_TAKEN: &str = "an operator with this email already exists";

impl Store {
    pub async fn operator_list(&self) -> Result<Vec<Operator>> {
        let sql = format!("SELECT {COLUMNS} FROM operators ORDER BY id");
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, Operator>(&sql).fetch_all(pool).await?))
    }

    /// Every operator's id and role.
    pub async fn operator_roles(&self) -> Result<Vec<(Id, Role)>> {
        let rows: Vec<(Id, String)> = on_db!(self.db(), pool =>
            sqlx::query_as("SELECT id, role FROM operators").fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, role)| {
                role.parse::<Role>()
                    .map(|r| (id, r))
                    .map_err(|_| Error::Internal("stored role is invalid".into()))
            })
            .collect()
    }

    pub async fn operator_get(&self, id: Id) -> Result<Option<Operator>> {
        let sql = format!("SELECT {COLUMNS} FROM operators WHERE id = $1");
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, Operator>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The password hash of an active operator, by email (for sign-in).
    pub async fn operator_credentials(&self, email: &str) -> Result<Option<(Operator, String)>> {
        let sql = format!(
            "SELECT {COLUMNS}, password_hash FROM operators WHERE email = $1 AND is_active AND password_hash IS NOT NULL"
        );
        on_db!(self.db(), pool => {
            let row = sqlx::query(&sql).bind(email.trim().to_lowercase()).fetch_optional(pool).await?;
            match row {
                None => Ok(None),
                Some(row) => {
                    use sqlx::{FromRow, Row};
                    let op = Operator::from_row(&row)?;
                    let hash: String = row.try_get("password_hash")?;
                    Ok(Some((op, hash)))
                }
            }
        })
    }

    pub(crate) async fn operator_insert(&self, f: &OperatorFields) -> Result<Operator> {
        let t = now();
        let sql = format!(
            "INSERT INTO operators (name, email, role, is_active, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
        );
        on_db!(self.db(), pool => sqlx::query_as::<_, Operator>(&sql)
            .bind(&f.name)
            .bind(&f.email)
            .bind(f.role.map(|r| r.as_str()))
            .bind(f.is_active.unwrap_or(true))
            .bind(&f.password_hash)
            .bind(t)
            .fetch_one(pool)
            .await
            .map_err(|e| Error::from_unique(e, "email", EMAIL_TAKEN)))
    }

    pub(crate) async fn operator_update(
        &self,
        id: Id,
        f: &OperatorFields,
    ) -> Result<Option<Operator>> {
        let sql = format!(
            "UPDATE operators SET name = COALESCE($2, name), email = COALESCE($3, email), \
             role = COALESCE($4, role), is_active = COALESCE($5, is_active), \
             password_hash = COALESCE($6, password_hash), updated_at = $7 WHERE id = $1 RETURNING {COLUMNS}"
        );
        on_db!(self.db(), pool => sqlx::query_as::<_, Operator>(&sql)
            .bind(id)
            .bind(&f.name)
            .bind(&f.email)
            .bind(f.role.map(|r| r.as_str()))
            .bind(f.is_active)
            .bind(&f.password_hash)
            .bind(now())
            .fetch_optional(pool)
            .await
            .map_err(|e| Error::from_unique(e, "email", EMAIL_TAKEN)))
    }

    /// Deletes an operator; routing profiles drop them by cascade. False if there was none.
    pub async fn operator_delete(&self, id: Id) -> Result<bool> {
        let done = on_db!(self.db(), pool => sqlx::query("DELETE FROM operators WHERE id = $1")
            .bind(id).execute(pool).await?.rows_affected());
        Ok(done > 0)
    }
}
