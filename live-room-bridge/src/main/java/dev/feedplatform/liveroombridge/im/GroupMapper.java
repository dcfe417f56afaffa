package dev.feedplatform.liveroombridge.im;

import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * {@code im_groups} and {@code im_group_members}, plus the rows a group adds to its
 * members' conversation lists.
 */
@Mapper
interface GroupMapper {

	/** A group row. */
	record Group(long id, String name, long ownerId) {
	}

	@Insert("INSERT INTO im_groups (id, name, owner_id) VALUES (#{id}, #{name}, #{ownerId})")
	void insert(@Param("id") long id, @Param("name") String name, @Param("ownerId") long ownerId);

	@Select("SELECT id, name, owner_id AS ownerId FROM im_groups WHERE id = #{id}")
	Group find(@Param("id") long id);

	/**
	 * The group row, locked: membership changes of one group take turns, so the member
	 * limit holds under races.
	 */
	@Select("SELECT id, name, owner_id AS ownerId FROM im_groups WHERE id = #{id} FOR UPDATE")
	Group lock(@Param("id") long id);

	@Insert("""
			<script>INSERT IGNORE INTO im_group_members (group_id, user_id) VALUES
			<foreach collection='users' item='u' separator=','>(#{groupId}, #{u})</foreach>
			</script>""")
	int addMembers(@Param("groupId") long groupId, @Param("users") List<Long> users);

	@Delete("DELETE FROM im_group_members WHERE group_id = #{groupId} AND user_id = #{userId}")
	int removeMember(@Param("groupId") long groupId, @Param("userId") long userId);

	@Select("SELECT user_id FROM im_group_members WHERE group_id = #{groupId} ORDER BY user_id")
	List<Long> members(@Param("groupId") long groupId);

	@Select("SELECT COUNT(*) FROM im_group_members WHERE group_id = #{groupId}")
	int count(@Param("groupId") long groupId);

	@Select("SELECT COUNT(*) FROM im_group_members WHERE group_id = #{groupId} AND user_id = #{userId}")
	int isMember(@Param("groupId") long groupId, @Param("userId") long userId);

	/**
	 * The group's conversation, its activity starting at the group's creation (ids are
	 * time-ordered).
	 */
	@Insert("INSERT IGNORE INTO im_conversations (id, max_seq, last_msg_id) VALUES (#{conversation}, 0, #{activity})")
	void openConversation(@Param("conversation") String conversation, @Param("activity") long activity);

	/** New members start with everything before their arrival read. */
	@Insert("""
			<script>INSERT IGNORE INTO im_user_conversations (user_id, conversation, read_seq)
			SELECT u.id, c.id, c.max_seq FROM im_conversations c JOIN (
			<foreach collection='users' item='u' separator=' UNION ALL '>SELECT #{u} AS id</foreach>
			) u WHERE c.id = #{conversation}
			</script>""")
	void listFor(@Param("conversation") String conversation, @Param("users") List<Long> users);

	@Delete("DELETE FROM im_user_conversations WHERE user_id = #{userId} AND conversation = #{conversation}")
	void unlist(@Param("userId") long userId, @Param("conversation") String conversation);

}
