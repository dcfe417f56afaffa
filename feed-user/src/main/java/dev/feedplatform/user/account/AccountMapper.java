package dev.feedplatform.user.account;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * The account columns of {@code users} (id, phone, nickname): the only SQL that creates a
 * user or finds one by phone (issue 20: relational access through MyBatis mappers owned
 * by the table's module, annotations rather than XML so each statement sits beside its
 * method). Used by {@link Accounts} in this package only.
 */
@Mapper
interface AccountMapper {

	/** The account with this phone, null when there is none (the phone is unique). */
	@Select("SELECT id, phone, nickname FROM users WHERE phone = #{phone}")
	Account byPhone(@Param("phone") String phone);

	/**
	 * IGNORE: a first login racing another on the unique phone key adds nothing and fails
	 * nothing.
	 * @return 1 when the account was created, 0 when the phone had one
	 */
	@Insert("INSERT IGNORE INTO users (id, phone, nickname) VALUES (#{id}, #{phone}, #{nickname})")
	int insert(@Param("id") long id, @Param("phone") String phone, @Param("nickname") String nickname);

}
