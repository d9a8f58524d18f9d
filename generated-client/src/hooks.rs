//! What every generated request goes through: progenitor calls these hooks
//! around each operation, so authentication and retries apply to all of
//! them — also when the caller supplies their own `reqwest::Client`.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::retry::retry_after;
use crate::{Client, ClientConfig};

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

    /// Sends the request, retrying on 429 as the [`crate::RetryPolicy`] allows.
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner().retry;
        if !policy.covers(request.method()) {
            return self.client().execute(request).await;
        }
        let mut request = request;
        let mut attempt = 1;
        loop {
            // Bodies here are always in memory (JSON), so a copy can be made.
            let next = request.try_clone();
            let response = self.client().execute(request).await?;
            let wait =
                policy.wait_after(attempt, response.status(), retry_after(response.headers()));
            match (next, wait) {
                (Some(next), Some(wait)) => {
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => return Ok(response),
            }
        }
    }
}
