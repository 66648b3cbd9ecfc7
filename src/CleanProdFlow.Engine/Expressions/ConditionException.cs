namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// A compiled condition could not decide a sequence flow for the given variables: it threw, referenced an
/// unknown variable, hit a sandbox limit, or returned something other than true or false.
/// </summary>
public sealed class ConditionException : Exception
{
    public ConditionException(string message)
        : base(message)
    {
    }

    public ConditionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
