package dev.sluice.workflows.activities;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The type strings are recorded in histories and retry policies: they never change. */
class FailureTypeTest {

  @Test
  void givenRetryPolicies_whenBuilt_thenDoNotRetryListsTheTypesInTheirRecordedOrder() {
    assertThat(FailureType.nonRetryable())
        .containsExactly(
            "HttpClientError",
            "ProviderJobFailed",
            "RequestIdNotFound",
            "MalformedData",
            "SchemaMismatch",
            "SecretNotFound",
            "InvalidPipeline",
            "AuthFailed",
            "StagedFileMissing",
            "WaitTimeout",
            "PlatformBatchFailed",
            "WindowBusy",
            "WindowWithoutRange",
            "CorruptBody",
            "RedirectLoop",
            "PageTooSlow",
            "PaginationLoop",
            "TooManyPages");
  }

  @Test
  void givenEveryType_whenNamed_thenItsTypeStringIsTheOneInRecordedHistories() {
    assertThat(Arrays.stream(FailureType.values()).map(FailureType::type))
        .containsExactly(
            "HttpClientError",
            "HttpTransient",
            "ProviderJobFailed",
            "RequestIdNotFound",
            "MalformedData",
            "SchemaMismatch",
            "SecretNotFound",
            "InvalidPipeline",
            "AuthFailed",
            "StagedFileMissing",
            "WaitTimeout",
            "PlatformBatchFailed",
            "WindowBusy",
            "WindowWithoutRange",
            "CorruptBody",
            "RedirectLoop",
            "PageTooSlow",
            "PaginationLoop",
            "TooManyPages",
            "SourceNotSettled",
            "SourceBatchFailed",
            "SourceFileNotFound",
            "ChecksumMismatch",
            "SourceFileMissing",
            "FilesFailed",
            "AnswerValueMissing",
            "ResultUrlExpired",
            "ResultPlanInvalid");
  }
}
