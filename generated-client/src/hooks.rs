//! What every generated request goes through: progenitor calls these hooks
//! around each operation, so authentication and retries apply to all of
//! them — also when the caller supplies their own `reqwest::Client`.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::retry::{retry_after, retry_throttled};
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
        // Bodies here are always in memory (JSON), so copies can be made; a
        // streamed one could not be sent twice and is sent once.
        let template = match request.try_clone() {
            Some(template) if policy.covers(request.method()) => template,
            _ => return self.client().execute(request).await,
        };
        let mut first = Some(request);
        retry_throttled(
            policy,
            || {
                let next = first.take().or_else(|| template.try_clone());
                async move {
                    let request = next.expect("a request that was copied once copies again");
                    self.client().execute(request).await
                }
            },
            |sent| {
                sent.as_ref()
                    .ok()
                    .map(|response| (response.status(), retry_after(response.headers())))
            },
        )
        .await
    }
}
