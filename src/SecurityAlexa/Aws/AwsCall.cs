using Amazon.Runtime;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>Runs an SDK call and turns its failures into <see cref="AwsCallException"/> named by IAM action.</summary>
internal static class AwsCall
{
    /// <summary>
    /// Runs the call; SDK errors and time-outs become AwsCallException, a cancelled request stays cancelled.
    /// Every call, with its AWS request id, is reported to the current request's observer.
    /// </summary>
    public static async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunCoreAsync(operation, call, cancellationToken).ConfigureAwait(false);
            AwsCallObserver.Current?.Called(operation, (result as AmazonWebServiceResponse)?.ResponseMetadata?.RequestId, null);
            return result;
        }
        catch (AwsCallException e)
        {
            AwsCallObserver.Current?.Called(operation, (e.InnerException as AmazonServiceException)?.RequestId,
                e.ErrorCode ?? e.Failure.ToString());
            throw;
        }
    }

    private static async Task<T> RunCoreAsync<T>(string operation, Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsCallException(operation, AwsCallException.Classify(e.ErrorCode, e.StatusCode), e.ErrorCode, e.StatusCode,
                e.Message, e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new AwsCallException(operation, AwsFailure.Timeout, null, null, "The request's deadline passed.", e);
        }
        catch (OperationCanceledException e)
        {
            // The SDK's own HTTP timeout, not ours.
            throw new AwsCallException(operation, AwsFailure.Timeout, null, null, e.Message, e);
        }
        catch (AmazonClientException e)
        {
            throw new AwsCallException(operation, AwsFailure.Other, null, null, e.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsCallException(operation, AwsFailure.ServiceError, null, e.StatusCode, e.Message, e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The SDK rethrows a broken connection's own exception; whether the request arrived is unknown.
            throw new AwsCallException(operation, AwsFailure.ServiceError, null, null, e.Message, e);
        }
    }
}
