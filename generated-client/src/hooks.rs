//! What every generated request goes through: progenitor calls these hooks
//! around each attempt, so authentication applies to all of them — also
//! when the caller supplies their own `reqwest::Client`. Retries are not
//! here but around the whole call ([`crate::call`]), where the error of an
//! attempt is known.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::{Client, ClientConfig};

// progenitor's plumbing, which callers never call: off the docs page.
#[doc(hidden)]
impl ClientHooks<ClientConfig> for Client {
    /// Adds `Authorization: Bearer <key>` (a sensitive header value).
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        request
            .headers_mut()
            .insert(AUTHORIZATION, self.inner().authorization.clone());
        Ok(())
    }
}
