namespace CleanProdFlow.Timing;

/// <summary>The outcome of parsing or checking an input: a value, or the field errors that refused it.</summary>
public sealed class Validated<T>
    where T : class
{
    private readonly T? _value;

    private Validated(T? value, IReadOnlyList<FieldError> errors)
    {
        _value = value;
        Errors = errors;
    }

    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsValid => _value is not null;

    /// <summary>The value; throws <see cref="InvalidInputException"/> listing every error when invalid.</summary>
    public T Value => _value ?? throw new InvalidInputException(Errors);

    public static Validated<T> Ok(T value) => new(value, []);

    public static Validated<T> Fail(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0
            ? throw new ArgumentException("A failure needs at least one error.", nameof(errors))
            : new Validated<T>(null, errors);

    public static Validated<T> Fail(FieldError error) => new(null, [error]);
}

/// <summary>Thrown when code asks for the value of an invalid input; carries the field errors.</summary>
public sealed class InvalidInputException(IReadOnlyList<FieldError> errors)
    : Exception("Invalid input: " + string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
