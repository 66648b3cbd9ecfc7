using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Web.Security;

/// <summary>What a refused sign-in tells the person, the same on the page and in the API.</summary>
public static class SignInTexts
{
    public static readonly LocalizedText WrongCredentials = new("用户名或密码错误", "Wrong username or password");

    public static readonly LocalizedText Locked = new("账号已被临时锁定", "The account is locked for now");

    /// <summary>The unlock time in Beijing time, the zone the users work in.</summary>
    public static LocalizedText LockedUntil(DateTimeOffset until)
    {
        var beijing = until.ToOffset(TimeSpan.FromHours(8));
        return new($"密码连续输错次数过多，请于北京时间 {beijing:yyyy-MM-dd HH:mm} 后再试",
            $"too many wrong passwords in a row; try again after {beijing:yyyy-MM-dd HH:mm} Beijing time");
    }
}
